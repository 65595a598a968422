"""Values are read with the meaning the workbook gives them, or refused: %-formatted cells, amounts in
元 rather than 万元, mixed units, foreign number formats, formulas without values, and stated rates
that contradict their amounts."""
import io

import pytest
from openpyxl import load_workbook

from analytics.ingest.bulk_import import import_files
from analytics.ingest.export import write_workbook
from analytics.ingest.messages import issue_table
from analytics.ingest.template import AMOUNTS, EVALUATIONS
from analytics.ingest.validate import BadValue, parse_number
from analytics.rules import rate_percent
from analytics.store import Store
from test_bulk_import import digest, frames_2022  # noqa: F401  (frames_2022 is a fixture)

COMMERCE = "北京市商务局"


@pytest.fixture(scope="module")
def frames(frames_2022):
    return frames_2022


def edited(frames, edit) -> bytes:
    """The 2022 export with ``edit(cells)`` applied, ``cells(department)[key]`` being that row's cell."""
    buffer = io.BytesIO()
    write_workbook(frames, buffer)
    book = load_workbook(io.BytesIO(buffer.getvalue()))
    ws = book[EVALUATIONS.name]
    headers = [c.value for c in ws[1]]
    names = [c.value for c in ws["B"]]

    def cells(department):
        row = names.index(department) + 1
        return {c.key: ws.cell(row=row, column=headers.index(c.header) + 1) for c in EVALUATIONS.columns}
    edit(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def stored(db, department, column):
    store = Store(db, read_only=True)
    try:
        return store.scalar(f"SELECT e.{column} FROM evaluations e JOIN departments d ON d.id = e.department_id "
                            "WHERE d.name = ? AND e.year = 2022", [department])
    finally:
        store.close()


def refused(db, data, code):
    before = digest(db)
    result = import_files(db, [("data.xlsx", data)])
    assert not result.accepted and digest(db) == before, [(i.code, i.params) for i in result.issues]
    found = [i for i in result.issues if i.code == code]
    assert found, [(i.code, i.params) for i in result.issues]
    for lang in ("zh", "en"):
        assert issue_table(found, lang).iloc[0, 4]
    return found


def percent_cell(cell, fraction):
    cell.value = fraction
    cell.number_format = "0.00%"


def test_a_rate_in_a_percent_cell_is_read_as_the_percentage_it_shows(demo_db, frames):
    def edit(cells):
        row = cells(COMMERCE)
        percent_cell(row["carryover_rate_prev"], 0.0804)
        percent_cell(row["execution_rate"], 0.8617)
    result = import_files(demo_db, [("data.xlsx", edited(frames, edit))])
    assert result.accepted, [(i.code, i.params) for i in result.issues]
    assert stored(demo_db, COMMERCE, "carryover_rate_prev") == 8.04
    assert stored(demo_db, COMMERCE, "reported_execution_rate") == 86.17


def test_a_percent_cell_in_an_amount_column_is_refused(demo_db, frames):
    found = refused(demo_db, edited(frames, lambda cells: percent_cell(cells(COMMERCE)["carryover_amount"], 0.1382)),
                    "percent_in_amount")
    assert found[0].column == EVALUATIONS.column("carryover_amount").header


def smallest_department(frames):
    evaluations = frames["evaluations"]
    return evaluations.sort_values("budget_total")["department"].iloc[0]


def test_amounts_in_yuan_for_a_small_department_are_refused(demo_db, frames):
    department = smallest_department(frames)

    def edit(cells):
        for key, cell in cells(department).items():
            if key in AMOUNTS and cell.value is not None:
                cell.value = round(cell.value * 10000, 2)
    assert frames["evaluations"].set_index("department").loc[department, "budget_total"] * 10000 < 1e8
    found = refused(demo_db, edited(frames, edit), "amount_scale_history")
    assert found[0].params["department"] == department


def test_budget_in_yuan_beside_spending_in_wan_yuan_is_refused(demo_db, frames):
    department = smallest_department(frames)

    def edit(cells):
        row = cells(department)
        row["execution_rate"].value = rate_percent(row["spent_total"].value, row["budget_total"].value)
        for key, cell in row.items():
            if key.startswith("budget_") and cell.value is not None:
                cell.value = round(cell.value * 10000, 2)
    issues = refused(demo_db, edited(frames, edit), "amount_scale_mismatch")
    codes = {i.code for i in import_files(demo_db, [("data.xlsx", edited(frames, edit))]).issues}
    assert "rate_contradicts_amounts" in codes
    assert issues[0].params["department"] == department


@pytest.mark.parametrize("rate,amounts", [("execution_rate", "spent_total"), ("carryover_rate", "carryover_amount"),
                                          ("final_account_diff_rate", "final_account_total")])
def test_a_stated_rate_must_agree_with_its_amounts(demo_db, frames, rate, amounts):
    def edit(cells):
        cells(COMMERCE)[rate].value = round(cells(COMMERCE)[rate].value + 5, 2)
    found = refused(demo_db, edited(frames, edit), "rate_contradicts_amounts")
    assert found[0].column == EVALUATIONS.column(rate).header
    assert "86.17" in str(found[0].params) or rate != "execution_rate"


def test_a_rate_cut_or_rounded_to_two_decimals_agrees(demo_db, frames):
    # 251145.17 / 291435.79 = 86.1751 %: printed as 86.17 (cut) or 86.18 (rounded), both accepted
    result = import_files(demo_db, [("data.xlsx", edited(frames, lambda cells: setattr(
        cells(COMMERCE)["execution_rate"], "value", 86.18)))])
    assert result.accepted, [(i.code, i.params) for i in result.issues]


def test_a_european_decimal_comma_is_refused_not_misread(demo_db, frames):
    found = refused(demo_db, edited(frames, lambda cells: setattr(cells(COMMERCE)["carryover_amount"], "value",
                                                                  "40.290,62")), "ambiguous_number")
    assert found[0].params["value"] == "40.290,62"
    assert "40.290,62" in issue_table(found, "zh").iloc[0, 4]


@pytest.mark.parametrize("text,number", [("9,685.55", 9685.55), ("291,435.79", 291435.79), ("1,234", 1234.0),
                                         ("１２３.５", 123.5), ("40290.62", 40290.62), ("-5", -5.0), ("86.17%", 86.17)])
def test_ordinary_number_texts_are_read(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("text", ["40.290,62", "1,5", "1.234.567", "12,34", "1,234,5", "1 234,5", "1,,234"])
def test_ambiguous_number_texts_are_refused(text):
    with pytest.raises(BadValue):
        parse_number(text)


def test_a_formula_without_a_cached_value_is_refused(demo_db, frames):
    found = refused(demo_db, edited(frames, lambda cells: setattr(cells(COMMERCE)["execution_rate"], "value",
                                                                  "=M3/I3*100")), "formula_without_value")
    assert found[0].column == EVALUATIONS.column("execution_rate").header
    assert found[0].sheet == EVALUATIONS.name and found[0].row is not None
