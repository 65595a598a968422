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
    titles = [texts(s)[1] for s in prs.slides]          # [0] is the watermark, drawn first, behind
    assert titles == [s.title for s in deck.slides]
    assert titles[0] == "北京市商务局" and titles[-1] == "评价结论"
    for slide, source in zip(prs.slides, deck.slides):
        pictures = [s for s in slide.shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert bool(pictures) == (source.figure is not None)
        assert texts(slide)[0] == "合成演示数据 · SYNTHETIC"
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
    assert len(deck.slides) == 59
    assert misplaced(write_pdf(deck, tmp_path / "year.pdf", images), deck) == []


def test_english_decks_keep_their_text_inside_its_boxes(demo_store, tmp_path):
    for deck in (slides.year_deck(demo_store, 2022, "en", grades=["中"]),
                 slides.department_deck(demo_store, "北京市商务局", 2022, "en", what_if={
                     "name": "catch up", "overrides": {"carryover_amount": 36079.75}})):
        assert misplaced(write_pdf(deck, tmp_path / "deck.pdf"), deck) == []


def test_year_pack_summary_plus_one_slide_per_department(demo_store, tmp_path):
    deck = slides.year_deck(demo_store, 2022, "en")
    assert len(deck.slides) == 4 + 55
    prs = Presentation(str(write_pptx(deck, tmp_path / "year.pptx")))
    assert len(prs.slides) == 59
    department_slides = list(prs.slides)[4:]
    assert all(any(s.shape_type == MSO_SHAPE_TYPE.PICTURE for s in slide.shapes) for slide in department_slides)
    assert texts(prs.slides[4])[1].startswith("No. 1 · ")


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
        with pytest.raises(compare.MixedFrameworksError):
            slides.year_deck(store, 2022, "en")
        pack = slides.year_deck(store, 2022, "en", framework="national-self-evaluation")
        assert len(pack.slides) == 4 + 3 and pack.slides[0].subtitle.startswith("Department-level expenditure")
        assert {label for label, _ in pack.slides[0].metrics} >= {"Excellent", "Good", "Fair", "Poor"}
    finally:
        store.close()
