"""汇报模式 / Presentation: full-screen slides in large type for a department or a whole year, with
next/previous, the slide in the URL, stamps, watermark, and one-click decks (.pptx, .pdf, PNG)."""
import tempfile
from pathlib import Path

import streamlit as st

from analytics import compare, slides, stats
from analytics.escape import html as escape_html
from analytics.deck import chart_png, image_server, write_pptx, write_pdf
from pages import context
from pages.common import language, lazy_download, load, page_start, scenario_store, tr, url_selectbox

WRITERS = {"pptx": write_pptx, "pdf": write_pdf}
ACTUAL = 0          # the scenario choice meaning "the actual result" (saved scenario ids start at 1)
STYLE = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
.slide-title {font-size: 2.8rem; font-weight: 700; line-height: 1.2; margin: 0.3rem 0;}
.slide-subtitle {font-size: 1.5rem; color: #607D8B;}
.slide-metric {font-size: 1.2rem; color: #607D8B;} .slide-metric b {display: block; font-size: 2.6rem; color: #263238;}
.slide-bullets li {font-size: 1.45rem; line-height: 1.6;}
.slide-stamp {font-size: 0.95rem; color: #607D8B; margin-top: 0.6rem;} .slide-stamp.scenario {color: #E65100; font-weight: 700;}
.slide-watermark {position: fixed; top: 42%; left: 12%; font-size: 5rem; font-weight: 800; color: rgba(198, 40, 40, 0.13);
                  transform: rotate(-20deg); pointer-events: none; z-index: 1000; white-space: nowrap;}
</style>
"""


def present_department_deck(store, department: str, year: int, lang: str, region: str, scenario_id):
    what_if = None
    if scenario_id is not None:
        chosen = scenario_store().get(int(scenario_id))
        what_if = {"name": chosen["name"], "overrides": chosen["overrides"]}
    return slides.department_deck(store, department, year, lang, region, what_if)


def present_year_deck(store, year: int, lang: str, region: str, categories: tuple, grades: tuple, framework: str):
    return slides.year_deck(store, year, lang, region, list(categories), list(grades), framework)


def choose_deck(region: str, lang: str):
    mode_column, first, second, third = st.columns([1.2, 2, 1, 2])
    with mode_column:
        mode = url_selectbox(tr("p_mode"), ["department", "year"], key="mode", format_func=lambda m: tr(f"p_mode_{m}"))
    years = load(compare.years, region)[::-1]
    with second:
        year = context.selectbox("year", tr("year"), years)
    if mode == "year":
        with first:     # a year's pack ranks within one framework
            framework = context.framework(load(compare.year_frameworks, year, region))
        return load(present_year_deck, year, lang, region, (), (), framework)
    with first:
        names = load(stats.evaluations, region, [year])["department"].tolist()
        department = context.selectbox("department", tr("department"), names)
    with third:
        saved = scenario_store().list(department, year)
        labels = {ACTUAL: tr("p_actual"), **dict(zip(saved["id"].astype(int), saved["name"]))}
        scenario_id = url_selectbox(tr("p_scenario"), list(labels), key="scenario", format_func=labels.get)
    return load(present_department_deck, department, year, lang, region,
                None if scenario_id == ACTUAL else scenario_id)


def slide_number(count: int) -> int:
    wanted = st.query_params.get("slide", "1")
    number = int(wanted) if wanted.isdigit() else 1
    return min(max(number, 1), count)


def go_to(number: int) -> None:
    st.query_params["slide"] = str(number)


def navigation(number: int, count: int) -> None:
    back, counter, forward, _ = st.columns([1, 1.2, 1, 5])
    back.button(tr("p_previous"), key="previous", on_click=go_to, args=(max(number - 1, 1),), disabled=number <= 1,
                width="stretch")
    counter.markdown(f"<div style='text-align:center;padding-top:0.4rem'>{escape_html(tr('p_counter', number=number, count=count))}</div>",
                     unsafe_allow_html=True)
    forward.button(tr("p_next"), key="next", on_click=go_to, args=(min(number + 1, count),), disabled=number >= count,
                   width="stretch")


def show_slide(deck, slide, number: int) -> None:
    if deck.synthetic:
        st.markdown(f"<div class='slide-watermark'>{escape_html(deck.watermark)}</div>", unsafe_allow_html=True)
    st.markdown(f"<div class='slide-title'>{escape_html(slide.title)}</div>", unsafe_allow_html=True)
    if slide.subtitle:
        st.markdown(f"<div class='slide-subtitle'>{escape_html(slide.subtitle)}</div>", unsafe_allow_html=True)
    if slide.metrics:
        for column, (label, value) in zip(st.columns(len(slide.metrics)), slide.metrics):
            column.markdown(f"<div class='slide-metric'>{escape_html(label)}<b>{escape_html(value)}</b></div>",
                            unsafe_allow_html=True)
    if slide.figure is not None:
        figure = slide.figure
        figure.update_layout(height=560)
        st.plotly_chart(figure, width="stretch", key=f"slide_chart_{number}")
    if slide.bullets:
        items = "".join(f"<li>{escape_html(b)}</li>" for b in slide.bullets)
        st.markdown(f"<ul class='slide-bullets'>{items}</ul>", unsafe_allow_html=True)
    scenario = " scenario" if deck.stamped_as_scenario(slide) else ""
    st.markdown(f"<div class='slide-stamp{scenario}'>{escape_html(deck.footer(slide, ' · '))}</div>",
                unsafe_allow_html=True)


def _deck_bytes(deck, kind: str) -> bytes:
    with tempfile.TemporaryDirectory() as folder:
        return WRITERS[kind](deck, Path(folder) / f"deck.{kind}").read_bytes()


def _chart_bytes(slide) -> bytes:
    with image_server():
        return chart_png(slide.figure)


def downloads(deck, slide, number: int) -> None:
    pptx, pdf, png, leave = st.columns(4)
    name = deck.title.replace(" ", "_")
    identity = f"{deck.title}|{deck.stamp}|{deck.scenario}|{language()}"
    lazy_download(pptx, "pptx", identity, lambda: _deck_bytes(deck, "pptx"), f"{name}.pptx",
                  "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                  tr("p_prepare_pptx"), tr("p_download_pptx"))
    lazy_download(pdf, "pdf", identity, lambda: _deck_bytes(deck, "pdf"), f"{name}.pdf", "application/pdf",
                  tr("p_prepare_pdf"), tr("p_download_pdf"))
    if slide.figure is not None:
        lazy_download(png, "png", f"{identity}|{number}", lambda: _chart_bytes(slide), f"{name}-{number}.png",
                      "image/png", tr("p_prepare_png"), tr("p_download_png"))
    leave.page_link("pages/rankings.py", label=tr("p_exit"))


db = page_start("page_present", show_title=False)
st.markdown(STYLE, unsafe_allow_html=True)
lang = language()
region = context.region()
deck = choose_deck(region, lang)
number = slide_number(len(deck.slides))
go_to(number)
navigation(number, len(deck.slides))
slide = deck.slides[number - 1]
show_slide(deck, slide, number)
downloads(deck, slide, number)
