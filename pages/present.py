"""汇报模式 / Presentation: a department or a whole year as slides on a 16:9 stage that fills the screen,
Streamlit's own controls hidden, keyboard navigation (← → Home End, F for full screen), the slide in the
URL, stamps and the synthetic label; choices and exports (.pptx, .pdf, PNG, built in the background) in
one menu under the slide."""
import tempfile
from pathlib import Path

import streamlit as st

from analytics import compare, slides, stats
from analytics.background import BROWSER_JOBS, stepwise
from analytics.deck import chart_png, image_server, table_html, write_pdf, write_pptx
from analytics.escape import html as escape_html
from analytics.paths import database_path
from analytics.slide_charts import PROJECTED_PX
from pages import context
from pages.background import background_download
from pages.common import language, load, page_start, scenario_store, tr, url_multiselect, url_selectbox

WRITERS = {"pptx": write_pptx, "pdf": write_pdf}
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf", "png": "image/png"}
ACTUAL = 0          # the scenario choice meaning "the actual result" (saved scenario ids start at 1)
PACK_ENDS = [0, 3, 5, 10, 15, 20]      # top / bottom N of a year pack (0: no such filter)
STAGE_W, STAGE_H = 1280, 720           # the slide's design size; the stage is zoomed to fill the screen
PAD_TOP, PAD_BOTTOM, BAR_H, GAP = 18, 8, 44, 8
SLIDE_H = STAGE_H - PAD_TOP - PAD_BOTTOM - BAR_H - 3 * GAP     # the gaps around the bar and its own
BULLET_PX, BULLET_LINE = 22, 34
STYLE = f"""
<style>
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], [data-testid="stSidebar"],
[data-testid="stSidebarCollapsedControl"], [data-testid="stSidebarNav"] {{display: none !important;}}
[data-testid="stAppViewContainer"], [data-testid="stMain"] {{background: #1C2328;}}
[data-testid="stMain"] {{display: flex; align-items: center; justify-content: center; min-height: 100vh; padding: 0;}}
[data-testid="stMainBlockContainer"] {{width: {STAGE_W}px; max-width: {STAGE_W}px; height: {STAGE_H}px; flex: none;
    padding: {PAD_TOP}px 36px {PAD_BOTTOM}px; margin: 0 auto; background: #FFFFFF; overflow: hidden; box-sizing: border-box;
    zoom: var(--stage-zoom, 1);}}
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] {{gap: {GAP}px;}}
/* a chart sizes itself to its container's zoomed box: unzoomed, it is drawn at the size it is shown */
.st-key-stage [data-testid="stPlotlyChart"] {{zoom: calc(1 / var(--stage-zoom, 1));}}
.st-key-stage {{height: {SLIDE_H}px; min-height: {SLIDE_H}px; flex: none; overflow: hidden; position: relative;}}
.st-key-bar {{height: {BAR_H}px; border-top: 1px solid #ECEFF1; padding-top: 4px;}}
.st-key-bar [data-testid="stHorizontalBlock"] {{align-items: center; gap: 6px;}}
.st-key-bar button {{min-height: 32px; padding: 0 8px;}}
.st-key-present_keys {{position: absolute; width: 0; height: 0; overflow: hidden;}}
/* the menu may take the height above its button, so every export is in sight at 1366x768 */
[data-testid="stPopoverBody"] {{max-height: calc(100vh - 64px) !important;}}
.slide-title {{font-size: 40px; font-weight: 700; line-height: 52px; min-height: 52px; margin: 0; padding-bottom: 4px;}}
.synthetic .slide-title {{margin-right: 300px;}}
.slide-subtitle {{font-size: 22px; color: #607D8B;}}
.slide-metric {{font-size: 20px; color: #607D8B;}} .slide-metric b {{display: block; font-size: 40px; color: #263238;}}
.slide-bullets {{margin: 0; padding-left: 1.4em;}}
.slide-bullets li {{font-size: {BULLET_PX}px; line-height: {BULLET_LINE}px;}}
.slide-table {{border-collapse: collapse; width: 100%; table-layout: fixed; font-size: {PROJECTED_PX}px;}}
.slide-table th, .slide-table td {{border: 1px solid #CFD8DC; padding: 4px 8px; text-align: left; vertical-align: top;}}
.slide-table th {{background: #ECEFF1;}}
.slide-stamp {{font-size: 13px; color: #607D8B; line-height: 1.3;}} .slide-stamp.scenario {{color: #E65100; font-weight: 700;}}
.slide-counter {{text-align: center; font-size: 15px; white-space: nowrap;}}
.slide-watermark {{position: absolute; top: 0; right: 0; width: 280px; padding: 6px 10px; text-align: center;
                   font-size: 18px; font-weight: 800; color: #C62828; background: #FDECEA; border-radius: 4px;
                   z-index: 10; pointer-events: none;}}
</style>
"""
# Keys pressed anywhere on the page press the navigation buttons; the stage is zoomed to fill the window.
# Registered on the app's own document (the component's frame is the same origin), once: a rerun replaces
# the previous handler; on another page (no stage) the handler lets every key pass.
KEYS = f"""<script>
const win = window.parent, doc = win.document;
const ACTIONS = {{ArrowRight: "next", PageDown: "next", ArrowLeft: "previous", PageUp: "previous",
                  Home: "first", End: "last"}};
function fit() {{
  doc.documentElement.style.setProperty("--stage-zoom", Math.min(win.innerWidth / {STAGE_W}, win.innerHeight / {STAGE_H}));
}}
function onKey(event) {{
  if (!doc.querySelector(".st-key-stage") || event.altKey || event.ctrlKey || event.metaKey) return;
  const target = event.target;
  const typing = "input, textarea, select, [contenteditable='true'], [role='listbox'], [role='dialog']";
  if (target && target.closest && target.closest(typing)) return;
  const action = ACTIONS[event.key];
  if (action) {{
    event.preventDefault();
    const button = doc.querySelector(".st-key-" + action + " button");
    if (button && !button.disabled) button.click();
  }} else if (event.key === "f" || event.key === "F") {{
    event.preventDefault();
    if (doc.fullscreenElement) doc.exitFullscreen(); else doc.documentElement.requestFullscreen().catch(() => {{}});
  }}
}}
if (win.__presentKeys) {{
  doc.removeEventListener("keydown", win.__presentKeys);
  win.removeEventListener("resize", win.__presentFit);
}}
win.__presentKeys = onKey; win.__presentFit = fit;
doc.addEventListener("keydown", onKey); win.addEventListener("resize", fit); fit();
</script>"""


def present_department_deck(store, department: str, year: int, lang: str, region: str, scenario_id):
    what_if = None
    if scenario_id is not None:
        chosen = scenario_store().get(int(scenario_id))
        what_if = {"name": chosen["name"], "overrides": chosen["overrides"]}
    return slides.department_deck(store, department, year, lang, region, what_if)


def present_year_deck(store, year: int, lang: str, region: str, framework: str, categories: tuple, grades: tuple,
                      top: int, bottom: int):
    return slides.year_deck(store, year, lang, region, list(categories), list(grades), framework, top or None,
                            bottom or None)


def choose_region() -> str:
    """The region, chosen here: the sidebar that holds it elsewhere is hidden on the stage."""
    options = load(compare.regions)
    return context.selectbox("region", tr("region"), options) if len(options) > 1 else load(compare.default_region)


def choose_pack(year: int, region: str, lang: str):
    """The year pack's framework and filters (category, grade, top and bottom N), then the pack."""
    framework = context.framework(load(compare.year_frameworks, year, region))
    ranked = load(compare.ranking, year, region, framework)
    bands = load(compare.grade_bands, framework)
    words = dict(zip(bands["grade"], bands["grade_en"].fillna(bands["grade"]) if lang == "en" else bands["grade"]))
    categories = url_multiselect(tr("category"), sorted(ranked["category"].dropna().unique()), key="category")
    grades = url_multiselect(tr("grade"), list(bands["grade"]), key="grade", format_func=lambda g: words.get(g, g))
    top_column, bottom_column = st.columns(2)
    with top_column:
        top = url_selectbox(tr("p_top"), PACK_ENDS, key="top",
                            format_func=lambda n: tr("p_top_n", count=n) if n else tr("p_no_end"))
    with bottom_column:
        bottom = url_selectbox(tr("p_bottom"), PACK_ENDS, key="bottom",
                               format_func=lambda n: tr("p_bottom_n", count=n) if n else tr("p_no_end"))
    options = (year, region, framework, tuple(categories), tuple(grades), top, bottom)
    return load(present_year_deck, year, lang, region, framework, tuple(categories), tuple(grades), top, bottom), options


def choose_deck(lang: str):
    """The deck asked for in the menu (or the URL), and the options that identify it."""
    mode = url_selectbox(tr("p_mode"), ["department", "year"], key="mode", format_func=lambda m: tr(f"p_mode_{m}"))
    region = choose_region()
    year = context.selectbox("year", tr("year"), load(compare.years, region)[::-1])
    if mode == "year":
        return choose_pack(year, region, lang)
    names = load(stats.evaluations, region, [year])["department"].tolist()
    department = context.selectbox("department", tr("department"), names)
    saved = scenario_store().list(department, year)
    labels = {ACTUAL: tr("p_actual"), **dict(zip(saved["id"].astype(int), saved["name"]))}
    scenario_id = url_selectbox(tr("p_scenario"), list(labels), key="scenario", format_func=labels.get)
    scenario_id = None if scenario_id == ACTUAL else scenario_id
    return (load(present_department_deck, department, year, lang, region, scenario_id),
            (department, year, region, scenario_id))


def slide_number(count: int) -> int:
    wanted = st.query_params.get("slide", "1")
    number = int(wanted) if wanted.isdigit() else 1
    return min(max(number, 1), count)


def go_to(number: int) -> None:
    st.query_params["slide"] = str(number)


def _lines(text: str, width_px: int, font_px: int) -> int:
    """How many lines ``text`` takes at ``font_px`` in ``width_px`` (wide characters one em, others half)."""
    ems = sum(1.0 if ord(c) > 0x2E7F else 0.55 for c in text)
    return max(1, -(-int(ems * font_px) // width_px))


def chart_height(slide) -> int:
    """What the slide leaves for its chart on the stage, below its title, figures, table and text."""
    used = 56 + (34 if slide.subtitle else 0) + (92 if slide.metrics else 0)
    used += BULLET_LINE * sum(_lines(b, STAGE_W - 200, BULLET_PX) for b in slide.bullets) + (GAP if slide.bullets else 0)
    return max(SLIDE_H - used - 3 * GAP - 12, 260)     # 12: the chart element's own margin


def show_slide(deck, slide, number: int) -> None:
    if deck.synthetic:
        st.markdown(f"<div class='slide-watermark'>{escape_html(deck.watermark)}</div>", unsafe_allow_html=True)
    synthetic = " synthetic" if deck.synthetic else ""
    st.markdown(f"<div class='slide-head{synthetic}'><div class='slide-title'>{escape_html(slide.title)}</div></div>",
                unsafe_allow_html=True)
    if slide.subtitle:
        st.markdown(f"<div class='slide-subtitle'>{escape_html(slide.subtitle)}</div>", unsafe_allow_html=True)
    if slide.metrics:
        for column, (label, value) in zip(st.columns(len(slide.metrics)), slide.metrics):
            column.markdown(f"<div class='slide-metric'>{escape_html(label)}<b>{escape_html(value)}</b></div>",
                            unsafe_allow_html=True)
    if slide.table is not None:
        st.markdown(table_html(slide.table, "slide-table"), unsafe_allow_html=True)
    if slide.figure is not None:
        figure = slide.figure
        figure.update_layout(height=chart_height(slide))
        st.plotly_chart(figure, width="stretch", key=f"slide_chart_{number}", config={"displayModeBar": False})
    if slide.bullets:
        items = "".join(f"<li>{escape_html(b)}</li>" for b in slide.bullets)
        st.markdown(f"<ul class='slide-bullets'>{items}</ul>", unsafe_allow_html=True)


def navigation(columns, deck, slide, number: int, count: int) -> None:
    stamp, first, back, counter, forward, last = columns
    scenario = " scenario" if deck.stamped_as_scenario(slide) else ""
    stamp.markdown(f"<div class='slide-stamp{scenario}'>{escape_html(deck.footer(slide, ' · '))}</div>",
                   unsafe_allow_html=True)
    for column, key, sign, target, disabled in ((first, "first", "«", 1, number <= 1),
                                                (back, "previous", "‹", number - 1, number <= 1),
                                                (forward, "next", "›", number + 1, number >= count),
                                                (last, "last", "»", count, number >= count)):
        column.button(sign, key=key, help=tr(f"p_{key}"), on_click=go_to, args=(target,), disabled=disabled,
                      width="stretch")
    counter.markdown(f"<div class='slide-counter'>{escape_html(tr('p_counter', number=number, count=count))}</div>",
                     unsafe_allow_html=True)


def _deck_bytes(deck, kind: str, report) -> bytes:
    report(0.0, "p_starting", kind=kind.upper())
    with tempfile.TemporaryDirectory() as folder:
        progress = stepwise(report, "p_building", kind=kind.upper())
        return WRITERS[kind](deck, Path(folder) / f"deck.{kind}", progress=progress).read_bytes()


def _chart_bytes(slide, report) -> bytes:
    report(0.0, "p_starting", kind="PNG")
    with image_server():
        return chart_png(slide.figure)


def exports(deck, slide, number: int, identity: tuple) -> None:
    """The deck as .pptx and .pdf, the slide's chart as PNG, each built once per data version and
    options, in the background, one at a time (each drives a browser)."""
    name = deck.title.replace(" ", "_")
    path = database_path()
    base = ("deck", str(path), path.stat().st_mtime, *identity, language())
    wanted = [("pptx", base + ("pptx",), lambda report: _deck_bytes(deck, "pptx", report), f"{name}.pptx"),
              ("pdf", base + ("pdf",), lambda report: _deck_bytes(deck, "pdf", report), f"{name}.pdf")]
    if slide.figure is not None:
        wanted.append(("png", base + ("png", number), lambda report: _chart_bytes(slide, report),
                       f"{name}-{number}.png"))
    for column, (kind, key, build, filename) in zip(st.columns(len(wanted), gap="small"), wanted):
        with column:        # side by side: one row keeps every export inside the menu at 1366x768
            background_download(kind, key, build, filename, MIME[kind], tr(f"p_prepare_{kind}"),
                                tr(f"p_download_{kind}"), jobs=BROWSER_JOBS, width="stretch")


db = page_start("page_present", show_title=False)
st.markdown(STYLE, unsafe_allow_html=True)
with st.container(key="present_keys"):
    st.iframe(KEYS, height=1)
lang = language()
stage, bar = st.container(key="stage"), st.container(key="bar")
with bar:
    *nav_columns, menu_column = st.columns([6.4, 0.5, 0.5, 1.1, 0.5, 0.5, 1.6], vertical_alignment="center")
menu = menu_column.popover(tr("p_menu"), icon=":material/tune:", width="stretch")
with menu:
    deck, identity = choose_deck(lang)
number = slide_number(len(deck.slides))
go_to(number)
slide = deck.slides[number - 1]
with stage:
    show_slide(deck, slide, number)
navigation(nav_columns, deck, slide, number, len(deck.slides))
with menu:
    st.caption(tr("p_keys"))
    exports(deck, slide, number, identity)
    st.page_link("pages/rankings.py", label=tr("p_exit"), icon=":material/logout:")
