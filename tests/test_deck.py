"""Decks: .pptx opened with python-pptx, .pdf checked with poppler; the CLI; charts shared with pages."""
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pptx.util import Inches

from analytics import slides
from analytics.deck import _images, write_pdf, write_pptx
from pdf_boxes import misplaced

ROOT = Path(__file__).resolve().parent.parent
CJK = "Noto Sans CJK SC"


@pytest.fixture(scope="module")
def commerce_deck(demo_store):
    deck = slides.department_deck(demo_store, "北京市商务局", 2022, "zh")
    return deck, _images(deck)


def texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_department_pptx_has_the_slides_titles_charts_and_watermark(commerce_deck, tmp_path):
    deck, images = commerce_deck
    prs = Presentation(str(write_pptx(deck, tmp_path / "commerce.pptx", images)))
    assert (prs.slide_width, prs.slide_height) == (Inches(13.333), Inches(7.5))
    assert len(prs.slides) == len(deck.slides) == 7
    titles = [texts(s)[0] for s in prs.slides]
    assert titles == [s.title for s in deck.slides]
    assert titles[0] == "北京市商务局" and titles[-1] == "评价结论"
    assert "报告得分与规则得分" in titles         # the carry-over rule disagrees with the report
    for slide, source in zip(prs.slides, deck.slides):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert bool(pictures) == (source.figure is not None)
        assert texts(slide)[1] == "合成演示数据 · SYNTHETIC"
        assert any("数据版本" in t for t in texts(slide))
        fonts = {run.font.name for shape in slide.shapes if shape.has_text_frame
                 for p in shape.text_frame.paragraphs for run in p.runs}
        assert fonts == {CJK}
    conclusion = "\n".join(texts(prs.slides[-1]))
    assert "92.42" in conclusion and "90.73" in conclusion


def test_department_pdf_has_a_page_per_slide_and_embeds_its_fonts(commerce_deck, tmp_path):
    deck, images = commerce_deck
    pdf = write_pdf(deck, tmp_path / "commerce.pdf", images)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+7$", info, re.M)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout.splitlines()[2:]
    # every font is embedded (Chromium embeds the CFF-outlined Noto CJK as Type 3 glyph procedures),
    # so the Chinese text renders from the file itself, on any machine
    assert fonts and all(line.split()[-5] == "yes" for line in fonts)
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "北京市商务局" in text and "评价结论" in text and "结转结余率" in text
    assert misplaced(pdf, deck) == []


def test_the_score_tree_slide_lists_every_indicator_that_lost_points(commerce_deck):
    deck, _ = commerce_deck
    tree = next(s for s in deck.slides if s.title.startswith("得分结构")).figure
    listed = next(a.text for a in tree.layout.annotations if a.name == "lost_points")
    for line in ("预算执行率  17.23 / 20  −2.77", "产出数量  9.50 / 10  −0.50", "结转结余率  0.00 / 4  −4.00",
                 "部门预决算差异率  2.00 / 4  −2.00"):
        assert line in listed


@pytest.fixture(scope="module")
def year_pack(demo_store):
    deck = slides.year_deck(demo_store, 2022, "zh")
    return deck, _images(deck)


def test_every_page_of_the_year_pack_pdf_keeps_its_text_inside_its_boxes(year_pack, tmp_path):
    """The department pages' bullets used to run over the footer and off the page (the .pptx was fine)."""
    deck, images = year_pack
    assert len(deck.slides) == 1 + 4 + 2 + 55       # summary, ranking in fourteens, grades, movers, departments
    assert misplaced(write_pdf(deck, tmp_path / "year.pdf", images), deck) == []


def test_english_decks_keep_their_text_inside_its_boxes(demo_store, tmp_path):
    for deck in (slides.year_deck(demo_store, 2022, "en", grades=["中"]),
                 slides.department_deck(demo_store, "北京市商务局", 2022, "en", what_if={
                     "name": "catch up", "overrides": {"carryover_amount": 36079.75}})):
        assert misplaced(write_pdf(deck, tmp_path / "deck.pdf"), deck) == []


def test_year_pack_summary_plus_one_slide_per_department(demo_store, tmp_path):
    deck = slides.year_deck(demo_store, 2022, "en")
    assert len(deck.slides) == 7 + 55
    prs = Presentation(str(write_pptx(deck, tmp_path / "year.pptx")))
    assert len(prs.slides) == 62
    department_slides = list(prs.slides)[7:]
    assert all(any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes) for slide in department_slides)
    assert texts(prs.slides[7])[0].startswith("No. 1 · ")


def test_a_scenario_deck_is_stamped_as_a_scenario(demo_store):
    deck = slides.department_deck(demo_store, "北京市商务局", 2022, "zh", what_if={"name": "执行率95%",
                                                                          "overrides": {"execution_rate": 95}})
    assert len(deck.slides) == 8 and deck.slides[1].title == "情景模拟：执行率95%"
    assert "模拟结果，非实际评价结果" in deck.scenario
    assert ("模拟总分", "92.50 (+1.77)") in deck.slides[1].metrics


def test_a_scenario_slide_says_which_part_of_a_move_is_the_rule_and_which_the_changed_input(demo_store):
    """More carry-over than actual (the old goal-seek answer 52,400.15) gains +0.03 only because the
    change rescores 结转结余率 by its rule: the slide must not present the extra carry-over as the gain."""
    deck = slides.department_deck(demo_store, "北京市商务局", 2022, "zh", what_if={
        "name": "赶上前一名", "overrides": {"carryover_amount": 52400.15}})
    scenario_slide = deck.slides[1]
    assert ("模拟总分", "90.76 (+0.03)") in scenario_slide.metrics
    assert "结转结余率：0.00 → 0.03 分，其中 +1.69 分来自按评分规则计分（实际数据下规则得 1.69 分，报告 0.00 分），" \
           "-1.66 分来自改动的输入。" in scenario_slide.bullets
    english = slides.department_deck(demo_store, "北京市商务局", 2022, "en", what_if={
        "name": "catch up", "overrides": {"carryover_amount": 52400.15}}).slides[1]
    assert any("+1.69 of it comes from scoring it by its rule" in b and "-1.66 from the changed inputs" in b
               for b in english.bullets)


SIMULATION = "模拟结果，非实际评价结果"


def pdf_pages(pdf: Path) -> list[str]:
    """Each page's text, whitespace removed (Chromium's PDF breaks CJK runs at will)."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [re.sub(r"\s", "", page) for page in text.split("\f")[:-1]]


def test_only_the_slides_that_show_the_scenario_are_stamped_as_a_simulation(demo_store, tmp_path):
    deck = slides.department_deck(demo_store, "北京市商务局", 2022, "zh", what_if={"name": "执行率95%",
                                                                          "overrides": {"execution_rate": 95}})
    images = _images(deck)
    shows_scenario = [n for n, s in enumerate(deck.slides, 1) if s.title.startswith("情景模拟")]
    assert shows_scenario == [2]
    prs = Presentation(str(write_pptx(deck, tmp_path / "scenario.pptx", images)))
    stamped = [n for n, slide in enumerate(prs.slides, 1) if any(SIMULATION in t for t in texts(slide))]
    assert stamped == shows_scenario
    assert all(any("数据版本" in t for t in texts(slide)) for slide in prs.slides)      # the data stamp stays
    pages = pdf_pages(write_pdf(deck, tmp_path / "scenario.pdf", images))
    assert len(pages) == 8 and [n for n, page in enumerate(pages, 1) if SIMULATION in page] == shows_scenario
    assert all("数据版本" in page for page in pages)


def test_the_deck_command(demo_db, tmp_path):
    out = tmp_path / "deck.pdf"
    result = subprocess.run([sys.executable, "-m", "analytics", "deck", "--department", "北京市商务局", "--year", "2022",
                             "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                            env={**__import__("os").environ, "ANALYTICS_DB": str(demo_db)})
    assert result.returncode == 0, result.stderr
    assert out.exists() and "7 slides" in result.stdout
    bad = subprocess.run([sys.executable, "-m", "analytics", "deck", "--year", "2022", "--out", str(tmp_path / "x.doc")],
                         cwd=ROOT, capture_output=True, text=True,
                         env={**__import__("os").environ, "ANALYTICS_DB": str(demo_db)})
    assert bad.returncode == 2 and ".pptx or .pdf" in bad.stderr


def test_decks_of_a_national_layout_evaluation_compare_it_within_its_framework(demo_db):
    """Three county departments on the national layout beside Beijing's 55 in the same region and year: a
    department's deck ranks it among the three, in the framework's grade words; the year pack needs the
    framework named and then holds the three only."""
    from county import add_county
    from analytics import compare
    from analytics.store import Store
    recs = add_county(demo_db, years=(2021, 2022), region="北京市")
    store = Store(demo_db, read_only=True)
    try:
        department = recs[-1].department
        deck = slides.department_deck(store, department, 2022, "zh")
        metrics = dict(deck.slides[0].metrics)
        assert metrics["排名"].endswith("/ 3") and metrics["等级"] in {"优", "良", "中", "差"}
        rows = compare.ranking(store, 2022, "北京市", "national-self-evaluation")
        own = rows[rows["department"] == department].iloc[0]
        assert metrics["总分"] == f"{own['total']:.2f}" and metrics["排名"] == f"{own['rank']} / 3"
        assert deck.slides[1].title == "得分结构：从 100 分到末级指标"
        assert metrics["等级"] in deck.slides[-1].bullets[1]
        assert "部门自设指标：目标与完成情况" in [s.title for s in deck.slides]
        with pytest.raises(compare.MixedFrameworksError):
            slides.year_deck(store, 2022, "en")
        pack = slides.year_deck(store, 2022, "en", framework="national-self-evaluation")
        assert len(pack.slides) == 4 + 3 and pack.slides[0].subtitle.startswith("Department-level expenditure")
        assert {label for label, _ in pack.slides[0].metrics} >= {"Excellent", "Good", "Fair", "Poor"}
    finally:
        store.close()


# -- decks of any framework: the national layout's own indicators, projected type, the synthetic label ----

COUNTY = "示例县(合成)"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"


@pytest.fixture(scope="module")
def school_deck(demo_store):
    """A county department on the national layout (its own level-3 indicators): the first school-year
    giving the most reasons for a shortfall."""
    department, year = demo_store.rows("""
        SELECT d.name, e.year FROM node_inputs i JOIN evaluations e ON e.id = i.evaluation_id
        JOIN departments d ON d.id = e.department_id
        WHERE d.region = ? AND d.name LIKE '%学%' GROUP BY ALL
        ORDER BY count(nullif(i.deviation_reason, '')) DESC, 1, 2 LIMIT 1""", [COUNTY])[0]
    deck = slides.department_deck(demo_store, department, year, "zh", COUNTY)
    return deck, _images(deck), year


def stored_own_indicators(store, department: str, year: int, region: str) -> list[tuple]:
    """The department's own (brought) indicators as node_inputs holds them, in tree order."""
    return store.rows("""
        SELECT i.zh, i.target_text, i.actual_text, coalesce(i.unit, ''), i.reported, i.weight,
               coalesce(i.deviation_reason, '')
        FROM node_inputs i JOIN evaluations e ON e.id = i.evaluation_id JOIN departments d ON d.id = e.department_id
        WHERE d.name = ? AND d.region = ? AND e.year = ? AND i.zh IS NOT NULL ORDER BY i.parent, i.position""",
                      [department, region, year])


def pptx_table(slide) -> list[list[str]]:
    table = next(shape for shape in slide.shapes if shape.has_table).table
    return [[cell.text_frame.text for cell in row.cells] for row in table.rows]


def test_a_national_layout_deck_shows_the_departments_own_indicators_as_stored(school_deck, demo_store, tmp_path):
    deck, images, year = school_deck
    prs = Presentation(str(write_pptx(deck, tmp_path / "school.pptx", images)))
    titles = [texts(s)[0] for s in prs.slides]
    assert titles[:3] == [deck.slides[0].title, "得分结构：从 100 分到末级指标", "失分在哪里"]
    assert "部门整体支出绩效自评表" in texts(prs.slides[0])[2]           # the framework's own name
    assert titles[-1] == "评价结论"
    table_slides = [slide for slide in prs.slides if any(shape.has_table for shape in slide.shapes)]
    assert [texts(s)[0] for s in table_slides] == ["部门自设指标：目标与完成情况"]
    header, *rows = pptx_table(table_slides[0])
    assert header == ["指标", "年度目标值", "实际完成值", "单位", "得分 / 分值", "偏差原因"]
    stored = stored_own_indicators(demo_store, deck.slides[0].title, year, COUNTY)
    assert len(stored) >= 5
    expected = sorted([zh, target, actual, unit, f"{reported:.2f} / {weight:g}",
                       reason or ("未说明" if reported < weight else "")]
                      for zh, target, actual, unit, reported, weight, reason in stored)
    assert sorted(rows) == expected
    assert any(reason for *_, reason in stored)          # the reasons given for a shortfall are there
    grade = dict(deck.slides[0].metrics)["等级"]
    assert grade in {"优", "良", "中", "差"}                # the framework's grade words


def test_a_national_layout_deck_prints_every_slide_and_keeps_its_text_in_its_boxes(school_deck):
    """Pages rendered with pdftoppm into the screenshots folder, to be looked at."""
    deck, images, _ = school_deck
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pdf = write_pdf(deck, SCREENSHOTS / "deck-county-school.pdf", images)
    assert misplaced(pdf, deck) == []
    pages = pdf_pages(pdf)
    assert len(pages) == len(deck.slides)
    table_page = pages[[s.title for s in deck.slides].index("部门自设指标：目标与完成情况")]
    assert "偏差原因" in table_page and "年度目标值" in table_page
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(pdf), str(SCREENSHOTS / "deck-county-school")], check=True)
    assert len(list(SCREENSHOTS.glob("deck-county-school-*.png"))) == len(deck.slides)


def _boxes_overlap(a, b) -> bool:
    return a.left < b.left + b.width and b.left < a.left + a.width and a.top < b.top + b.height and b.top < a.top + a.height


def test_the_synthetic_label_stays_clear_of_every_chart_and_table(school_deck, tmp_path):
    deck, images, _ = school_deck
    prs = Presentation(str(write_pptx(deck, tmp_path / "school.pptx", images)))
    for slide in prs.slides:
        label = next(shape for shape in slide.shapes if shape.has_text_frame and shape.text_frame.text == deck.watermark)
        content = [shape for shape in slide.shapes if shape.shape_type == MSO_SHAPE_TYPE.PICTURE or shape.has_table]
        title = next(shape for shape in slide.shapes if shape.has_text_frame)
        assert not any(_boxes_overlap(label, shape) for shape in [*content, title])


def font_sizes(node, inherited: float | None = None):
    """Every font size a figure sets explicitly, with the layout's as the default of the rest."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key.endswith("font") and isinstance(value, dict) and "size" in value:
                yield value["size"]
            yield from font_sizes(value)
    elif isinstance(node, list):
        for item in node:
            yield from font_sizes(item)


def test_every_chart_of_a_deck_is_set_in_type_large_enough_to_project(school_deck, demo_store):
    decks = [school_deck[0], slides.department_deck(demo_store, "北京市商务局", 2022, "zh", what_if={
        "name": "执行率95%", "overrides": {"execution_rate": 95}}), slides.year_deck(demo_store, 2022, "zh", top=2)]
    for deck in decks:
        for slide in deck.slides:
            if slide.figure is None:
                continue
            spec = slide.figure.to_plotly_json()
            assert spec["layout"]["font"]["size"] >= 18, slide.title
            assert min(font_sizes(spec)) >= 18, slide.title
            if "uniformtext" in spec["layout"]:
                assert spec["layout"]["uniformtext"]["minsize"] >= 18


def test_no_slide_holds_a_lone_sentence(school_deck, commerce_deck, demo_store):
    for deck in (school_deck[0], commerce_deck[0], slides.year_deck(demo_store, 2022, "en", grades=["中"])):
        for slide in deck.slides:
            assert slide.figure is not None or slide.table is not None or slide.metrics or len(slide.bullets) >= 2, \
                slide.title


def department_ranks(deck) -> list[int]:
    return [int(re.match(r"第 (\d+) 名", s.title).group(1)) for s in deck.slides if re.match(r"第 \d+ 名", s.title)]


def test_the_year_pack_filters_by_category_grade_and_either_end_with_a_summary_first(demo_store):
    from analytics import compare
    ranked = compare.ranking(demo_store, 2022, "北京市")
    ranks = ranked["rank"].tolist()                       # ties share a rank
    everything = slides.year_deck(demo_store, 2022, "zh")
    assert department_ranks(everything) == ranks and len(ranks) == 55
    ends = slides.year_deck(demo_store, 2022, "zh", top=5, bottom=3)
    assert department_ranks(ends) == ranks[:5] + ranks[-3:]
    summary = ends.slides[0]
    assert ends.slides[0].title == "北京市 2022 年度部门整体绩效评价结果"
    assert dict(summary.metrics)["部门数"] == "8 / 55" and "前 5 名, 后 3 名" in summary.subtitle
    assert len(summary.bullets) >= 3 and "前 5 名, 后 3 名" in ends.stamp
    best = ranked.iloc[0]
    assert f"{best['department']}（{best['total']:.2f}）" in summary.bullets[0]
    category = ranked["category"].value_counts().index[0]
    by_category = slides.year_deck(demo_store, 2022, "zh", categories=[category], top=4)
    expected = ranked[ranked["category"] == category]["rank"].head(4).tolist()
    assert department_ranks(by_category) == expected
    fair = slides.year_deck(demo_store, 2022, "zh", grades=["中"])
    assert department_ranks(fair) == ranked[ranked["grade"] == "中"]["rank"].tolist()
    assert dict(fair.slides[0].metrics)["优秀"] == "0"
    nothing = slides.year_deck(demo_store, 2022, "zh", grades=["差"])
    assert len(nothing.slides) == 1 and "没有符合筛选条件的部门。" in nothing.slides[0].bullets
