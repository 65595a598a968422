"""The report parser: every figure of the seed, rewritten variants, .docx, malformed files, properties."""
from __future__ import annotations

import hashlib
import io
import json
import random
import zipfile

import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analytics.ingest.report_document import read_report_document
from analytics.ingest.report_parser import REQUIRED, ReportParseError, parse_report
from analytics.paths import SEED_REPORT
from report_variants import (SEED_TEXT, seed_figures, space_numbers, to_fullwidth, to_halfwidth,
                             variant_figures, variant_report, write_docx)

FIGURE_KEYS = (
    "department", "year", "budget_total", "budget_basic", "budget_project", "budget_other",
    "spent_total", "spent_basic", "spent_project", "spent_other", "execution_rate",
    "carryover_amount", "carryover_rate", "carryover_rate_prev",
    "initial_budget_total", "initial_budget_basic", "initial_budget_project",
    "final_account_total", "final_account_diff_rate", "municipal_avg_diff_rate",
    "score_budget_execution", "score_performance_targets", "score_budget_management", "score_total", "grade",
)
L1_EXEC, L1_TARGETS, L1_MGMT = "当年预算执行情况", "整体绩效目标实现情况", "预算管理情况"
# code, level1, level2, level3, weight, score, inferred, rule_score
SEED_INDICATORS = [
    ("execution_rate", L1_EXEC, "资金总体", "预算执行率", 20.0, 17.23, False, 17.23),
    ("output_quantity", L1_TARGETS, "产出", "产出数量", 10.0, 9.5, False, None),
    ("output_quality", L1_TARGETS, "产出", "产出质量", 10.0, 10.0, True, None),
    ("output_timeliness", L1_TARGETS, "产出", "产出进度", 5.0, 5.0, True, None),
    ("output_cost", L1_TARGETS, "产出", "产出成本", 5.0, 5.0, True, None),
    ("economic_benefit", L1_TARGETS, "效果", "经济效益", 8.0, 8.0, True, None),
    ("social_benefit", L1_TARGETS, "效果", "社会效益", 8.0, 8.0, True, None),
    ("sustainability", L1_TARGETS, "效果", "可持续影响", 8.0, 8.0, True, None),
    ("satisfaction", L1_TARGETS, "效果", "服务对象满意度", 6.0, 6.0, True, None),
    ("financial_rules", L1_MGMT, "财务管理", "财务管理制度健全性", 1.0, 1.0, False, None),
    ("fund_compliance", L1_MGMT, "财务管理", "资金使用合规性和安全性", 2.0, 2.0, False, None),
    ("accounting_information", L1_MGMT, "财务管理", "会计基础信息完善性", 1.0, 1.0, False, None),
    ("asset_management", L1_MGMT, "资产管理", "资产管理规范性", 4.0, 4.0, False, None),
    ("performance_management", L1_MGMT, "绩效管理", "绩效管理情况", 4.0, 4.0, False, None),
    ("carryover_rate", L1_MGMT, "结转结余率", "结转结余率", 4.0, 0.0, False, 1.69),
    ("final_account_diff_rate", L1_MGMT, "部门预决算差异率", "部门预决算差异率", 4.0, 2.0, False, 2.0),
]
INDICATOR_KEYS = ("code", "level1", "level2", "level3", "weight", "score", "inferred", "rule_score")
UNINFERRED_READS = {"execution_rate", "output_quantity", "carryover_rate", "final_account_diff_rate"}


def write(tmp_path, text: str, name: str = "report.txt"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def scores_of(parsed: dict) -> dict:
    return {row["code"]: row["score"] for row in parsed["indicators"]}


# -- the seed --------------------------------------------------------------------------------------

def test_seed_parses_to_every_reported_figure():
    parsed = parse_report(SEED_REPORT)
    assert parsed == {
        "department": "北京市商务局", "year": 2022,
        "budget_total": 291435.79, "budget_basic": 35584.55, "budget_project": 255851.24, "budget_other": 0.0,
        "spent_total": 251145.17, "spent_basic": 29475.09, "spent_project": 221670.08, "spent_other": 0.0,
        "execution_rate": 86.17, "carryover_amount": 40290.62, "carryover_rate": 13.82, "carryover_rate_prev": 8.04,
        "initial_budget_total": 159584.73, "initial_budget_basic": 27010.27, "initial_budget_project": 132574.46,
        "final_account_total": 291435.79, "final_account_diff_rate": 82.62, "municipal_avg_diff_rate": 28.3,
        "score_budget_execution": 17.23, "score_performance_targets": 59.5, "score_budget_management": 14.0,
        "score_total": 90.73, "grade": "优秀", "missing": [],
        "indicators": [dict(zip(INDICATOR_KEYS, row)) for row in SEED_INDICATORS],
        "checks": [
            {"indicator": "预算执行率", "code": "execution_rate", "reported": 17.23, "rule": 17.23, "agrees": True},
            {"indicator": "结转结余率", "code": "carryover_rate", "reported": 0.0, "rule": 1.69, "agrees": False},
            {"indicator": "部门预决算差异率", "code": "final_account_diff_rate", "reported": 2.0, "rule": 2.0,
             "agrees": True},
        ],
        "rule_total": 92.42,
        "findings": [{"code": "score_not_rule", "indicator": "结转结余率", "reported": 0.0, "rule": 1.69}],
        "framework": "beijing-2022",
        "source_file": "beijing-commerce-2022.txt",
        "source_sha256": hashlib.sha256(SEED_REPORT.read_bytes()).hexdigest(),
    }
    json.dumps(parsed, allow_nan=False)


def test_the_seed_figures_rendered_back_parse_like_the_seed(tmp_path):
    parsed = parse_report(write(tmp_path, variant_report(seed_figures())))
    assert parsed | {"source_file": None, "source_sha256": None} == \
        parse_report(SEED_REPORT) | {"source_file": None, "source_sha256": None}


# -- variants --------------------------------------------------------------------------------------

# The seed's amounts under another department and year, scored by the rules (结转结余率 1.69, total 92.42).
FIGURES_SEED_AMOUNTS = variant_figures(
    department="天津市商务局", year=2031, budget_basic=35584.55, budget_project=255851.24, spent_basic=29475.09,
    spent_project=221670.08, initial_budget_basic=27010.27, initial_budget_project=132574.46,
    carryover_rate_prev=8.04, municipal_avg_diff_rate=28.3)
FIGURES_A = variant_figures(department="上海市财政局", year=2019, budget_basic=41000.0, budget_project=180250.5,
                            spent_basic=39876.54, spent_project=160000.12, initial_budget_basic=150000.0,
                            initial_budget_project=30000.25, carryover_rate_prev=12.5, municipal_avg_diff_rate=10)
FIGURES_B = variant_figures(department="广州市番禺区教育局", year=2024, budget_basic=123456.78,
                            budget_project=1111111.11, spent_basic=100000.0, spent_project=765432.1,
                            initial_budget_basic=98765.43, initial_budget_project=543210.99,
                            carryover_rate_prev=5.25, municipal_avg_diff_rate=31.7)


def test_variant_figures_differ_from_the_seed_where_it_matters():
    assert FIGURES_SEED_AMOUNTS["score_carryover_rate"] == 1.69 and FIGURES_SEED_AMOUNTS["score_total"] == 92.42
    assert FIGURES_A["grade"] == "优秀" and FIGURES_A["score_final_account_diff_rate"] == 3.6
    assert FIGURES_B["grade"] == "良好" and FIGURES_B["score_carryover_rate"] < 4


VARIANTS = {
    "department and year": (FIGURES_SEED_AMOUNTS, False, None, None),
    "other amounts": (FIGURES_A, False, None, None),
    "thousands separators": (FIGURES_B, True, None, "良"),
    "half-width punctuation": (FIGURES_A, True, to_halfwidth, None),
    "full-width everything": (FIGURES_B, True, to_fullwidth, "良好"),
    "spaces around numbers": (FIGURES_A, False, space_numbers, "优"),
    "full-width, spaced, separated": (FIGURES_B, True, lambda t: to_fullwidth(space_numbers(t)), None),
}


@pytest.mark.parametrize("case", VARIANTS, ids=list(VARIANTS))
def test_a_variant_parses_to_its_own_figures(tmp_path, case):
    figures, thousands, transform, grade_word = VARIANTS[case]
    text = variant_report(figures, thousands, grade_word)
    parsed = parse_report(write(tmp_path, transform(text) if transform else text))
    assert {key: parsed[key] for key in FIGURE_KEYS} == {key: figures[key] for key in FIGURE_KEYS}
    scores = scores_of(parsed)
    assert scores["execution_rate"] == figures["score_budget_execution"]
    assert scores["output_quantity"] == 9.5
    assert scores["carryover_rate"] == figures["score_carryover_rate"]
    assert scores["final_account_diff_rate"] == figures["score_final_account_diff_rate"]
    assert {row["code"] for row in parsed["indicators"] if not row["inferred"]} == \
        UNINFERRED_READS | {"financial_rules", "fund_compliance", "accounting_information",
                            "asset_management", "performance_management"}
    assert [(c["code"], c["agrees"]) for c in parsed["checks"]] == \
        [("execution_rate", True), ("carryover_rate", True), ("final_account_diff_rate", True)]


@pytest.mark.parametrize("word, grade", [("优秀", "优秀"), ("优", "优秀"), ("良", "良好"), ("中等", "中"),
                                         ("合格", "中"), ("一般", "中"), ("差", "差"), ("不合格", "差")])
def test_grade_words_and_synonyms_are_normalised(tmp_path, word, grade):
    assert parse_report(write(tmp_path, variant_report(seed_figures(), grade_word=word)))["grade"] == grade


@pytest.mark.parametrize("written", ["评分等级为优秀。", '评分等级为"优秀"。', "评分等级:「优秀」。"])
def test_grade_without_or_with_other_quotes(tmp_path, written):
    text = SEED_TEXT.replace("评分等级为“优秀”。", written)
    assert parse_report(write(tmp_path, text))["grade"] == "优秀"


def test_grade_of_the_other_assessment_is_not_taken(tmp_path):
    text = SEED_TEXT.replace("，评分等级为“优秀”", "")
    parsed = parse_report(write(tmp_path, text))
    assert "考评等级为“优秀”" in text and parsed["grade"] is None


def test_execution_rate_falls_back_to_the_table_and_is_none_when_not_printed(tmp_path):
    narrative_only = SEED_TEXT.replace("预算执行率为86.17%。", "")
    assert parse_report(write(tmp_path, narrative_only))["execution_rate"] == 86.17
    nowhere = narrative_only.replace("\t86.17%\n", "\t\n")
    parsed = parse_report(write(tmp_path, nowhere))
    assert parsed["execution_rate"] is None
    assert parsed["checks"][0] == {"indicator": "预算执行率", "code": "execution_rate", "reported": 17.23,
                                   "rule": 17.23, "agrees": True}


def test_unstated_other_spending_is_the_remainder(tmp_path):
    text = (SEED_TEXT.replace("其他支出预算数0.00万元", "").replace("，其他支出0.00万元", "")
            .replace("基本支出预算数35584.55万元", "基本支出预算数35000.00万元"))
    parsed = parse_report(write(tmp_path, text))
    assert parsed["budget_other"] == 584.55 and parsed["spent_other"] == 0.0


def test_previous_carryover_rate_from_the_narrative(tmp_path):
    text = SEED_TEXT.replace("\t8.04%\n", "\t\n").replace("结转结余率13.82%。", "结转结余率13.82%，上年结转结余率为7.50%。")
    parsed = parse_report(write(tmp_path, text))
    assert parsed["carryover_rate_prev"] == 7.5 and parsed["carryover_rate"] == 13.82
    without = parse_report(write(tmp_path, SEED_TEXT.replace("\t8.04%\n", "\t\n")))
    assert without["carryover_rate_prev"] is None
    assert [c["code"] for c in without["checks"]] == ["execution_rate", "final_account_diff_rate"]


def _economic_benefit_block(text: str, rewrite) -> str:
    start, end = text.index("指标1：经济效益"), text.index("指标2：社会效益")
    return text[:start] + rewrite(text[start:end]) + text[end:]


def test_per_item_scores_are_summed_and_full_marks_inferred_only_when_the_level1_score_proves_it(tmp_path):
    printed = _economic_benefit_block(SEED_TEXT, lambda block: block.replace("\t2\n", "\t2\n\t1.5\n"))
    scores = scores_of(parse_report(write(tmp_path, printed)))
    assert scores["economic_benefit"] == 6.0
    assert scores["output_quality"] is None and scores["social_benefit"] is None  # 59.50 - 15.5 != 42
    proven = parse_report(write(tmp_path, printed.replace("评价得分为59.50分", "评价得分为57.50分")))
    rows = {row["code"]: row for row in proven["indicators"]}
    assert rows["economic_benefit"]["score"] == 6.0 and not rows["economic_benefit"]["inferred"]
    assert rows["social_benefit"]["score"] == 8.0 and rows["social_benefit"]["inferred"]


def test_some_items_printed_is_no_score(tmp_path):
    printed = _economic_benefit_block(SEED_TEXT, lambda block: block.replace("\t2\n\t\n", "\t2\n\t1.5\n", 1))
    printed = printed.replace("评价得分为59.50分", "评价得分为59.00分")  # so that nothing is inferred
    assert scores_of(parse_report(write(tmp_path, printed)))["economic_benefit"] is None


# -- .docx -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [SEED_TEXT, to_fullwidth(variant_report(FIGURES_B, thousands=True))],
                         ids=["seed", "variant"])
def test_docx_with_a_real_table_reads_and_parses_like_the_text(tmp_path, text):
    text_path, docx_path = write(tmp_path, text), write_docx(text, tmp_path / "report.docx")
    docx_document = read_report_document(docx_path.read_bytes(), "docx")
    text_document = read_report_document(text_path.read_bytes(), "text")
    assert docx_document == text_document
    ignore = {"source_file": None, "source_sha256": None}
    assert parse_report(docx_path) | ignore == parse_report(text_path) | ignore


def test_docx_table_has_merged_cells(tmp_path):
    table = docx.Document(write_docx(SEED_TEXT, tmp_path / "report.docx")).tables[0]
    row_cells = [[cell._tc for cell in row.cells] for row in table.rows]
    assert any(len(set(map(id, cells))) < len(cells) for cells in row_cells)  # horizontal spans
    assert any(a is b for above, below in zip(row_cells, row_cells[1:]) for a, b in zip(above, below))  # vertical


# -- malformed inputs ------------------------------------------------------------------------------

def assert_rejected(path, missing, *words):
    with pytest.raises(ReportParseError) as caught:
        parse_report(path)
    assert caught.value.missing == list(missing)
    message = str(caught.value)
    assert message.startswith(f"{path.name} is not an evaluation report of the expected form")
    for word in (*missing, *words):
        assert word in message
    return caught.value


def test_empty_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    assert_rejected(tmp_path / "empty.txt", REQUIRED, "empty")


def test_random_bytes(tmp_path):
    (tmp_path / "noise.bin").write_bytes(random.Random(7).randbytes(5000))
    assert_rejected(tmp_path / "noise.bin", REQUIRED)


def test_plain_text_without_figures(tmp_path):
    assert_rejected(write(tmp_path, "会议纪要\n\n今天讨论了明年的工作计划。\tNo figures here.\n"), REQUIRED,
                    "全年预算数", "评价总分")


REMOVALS = {
    "department": [("北京市商务局2022年度部门整体", "2022年度部门整体")],
    "budget_total": [("2022年全年预算数291435.79万元，其中，", "")],
    "spent_total": [("资金总体支出251145.17万元，其中，", "")],
    "carryover_amount": [("结转结余资金总额40290.62万元，", ""), ("，结转结余金额40290.62万元", "")],
    "initial_budget_total": [("2022年全年预算数159584.73万元，其中，", "")],
    "final_account_total": [("2022年全年决算数291435.79万元，其中，", "")],
    "score_total": [("整体绩效评价得分为90.73分，", ""), ("\t100\n\t90.73\n", "\t100\n\t\n")],
}


@pytest.mark.parametrize("key", REMOVALS)
def test_a_report_without_one_required_figure_names_exactly_that_figure(tmp_path, key):
    text = SEED_TEXT
    for old, new in REMOVALS[key]:
        assert old in text
        text = text.replace(old, new)
    assert_rejected(write(tmp_path, text, "incomplete.txt"), [key])


def test_a_report_without_its_title_lacks_department_and_year(tmp_path):
    text = SEED_TEXT.replace("北京市商务局2022年度部门整体绩效评价报告\n", "", 1)
    assert_rejected(write(tmp_path, text), ["department", "year"], "部门名称", "年度")


def test_required_figures_in_the_table_only_are_used(tmp_path):
    text = SEED_TEXT.replace("整体绩效评价得分为90.73分，", "")
    assert parse_report(write(tmp_path, text))["score_total"] == 90.73


def test_truncated_docx(tmp_path):
    data = write_docx(SEED_TEXT, tmp_path / "full.docx").read_bytes()
    (tmp_path / "truncated.docx").write_bytes(data[:len(data) // 2])
    assert_rejected(tmp_path / "truncated.docx", REQUIRED, ".docx")


def test_text_named_docx(tmp_path):
    assert_rejected(write(tmp_path, SEED_TEXT, "report.docx"), REQUIRED, ".docx")


# -- properties ------------------------------------------------------------------------------------

PROPERTY_SETTINGS = settings(max_examples=60, deadline=None,
                             suppress_health_check=[HealthCheck.function_scoped_fixture])


def parse_or_reject(path) -> dict | None:
    """parse_report's result, or None for a ReportParseError; anything else raised fails the test."""
    try:
        parsed = parse_report(path)
    except ReportParseError as exc:
        assert set(exc.missing) <= set(REQUIRED) and path.name in str(exc)
        return None
    json.dumps(parsed, allow_nan=False)
    for row in parsed["indicators"]:
        assert row["score"] is None or 0 <= row["score"] <= row["weight"], row
    return parsed


@st.composite
def seed_mutations(draw) -> str:
    """The seed with one to three slices deleted, duplicated or replaced by arbitrary text."""
    text = draw(st.sampled_from([SEED_TEXT, to_fullwidth(SEED_TEXT), space_numbers(SEED_TEXT)]))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 3000)))
        operation = draw(st.sampled_from(["delete", "duplicate", "replace"]))
        middle = {"delete": "", "duplicate": text[start:end] * 2,
                  "replace": draw(st.text(alphabet=st.sampled_from(sorted(set(SEED_TEXT)) + list("0123456789.,%\t")),
                                          max_size=40))}[operation]
        text = text[:start] + middle + text[end:]
    return text


@PROPERTY_SETTINGS
@given(st.text())
def test_arbitrary_text_parses_or_is_rejected(tmp_path, text):
    parse_or_reject(write(tmp_path, text))


@PROPERTY_SETTINGS
@given(st.binary(max_size=4000), st.sampled_from(["report.txt", "report.docx"]))
def test_arbitrary_bytes_are_rejected(tmp_path, data, name):
    (tmp_path / name).write_bytes(data)
    parse_or_reject(tmp_path / name)


@PROPERTY_SETTINGS
@given(seed_mutations())
def test_mutated_seed_parses_or_is_rejected(tmp_path, text):
    parse_or_reject(write(tmp_path, text))



def _workbook_bytes() -> bytes:
    """An Excel workbook saved under a .docx name: a valid package of another kind."""
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def _zip_without_a_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a Word document")
    return buffer.getvalue()


@pytest.mark.parametrize("content", [b"PK\x03\x04 not really a zip", b"PK\x05\x06" + b"\x00" * 18,
                                     _zip_without_a_document(), _workbook_bytes()])
def test_a_broken_docx_is_refused_in_one_line_without_internals(tmp_path, content):
    path = tmp_path / "broken.docx"
    path.write_bytes(content)
    with pytest.raises(ReportParseError) as refused:
        parse_report(path)
    message = str(refused.value)
    assert "not a readable .docx file" in message and "\n" not in message
    assert " at 0x" not in message and str(tmp_path) not in message, message
