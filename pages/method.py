"""数据与方法 / Data & method: what is real and what synthetic, and how every score is made."""
import pandas as pd
import streamlit as st

from analytics import catalog
from analytics.escape import markdown
from pages import context
from pages.common import (download_buttons, language, load, page_start, recorded, search_box, shown_regions,
                          source_label, synthetic_notice, tr)

COUNT_HEADERS = {"source_kind": "source_kind", "year": "year", "evaluations": "me_evaluations",
                 "departments": "me_department_count", "first_year": "me_first_year", "last_year": "me_last_year"}
FILE_HEADERS = {"department": "department", "year": "year", "source_file": "me_source_file",
                "source_sha256": "me_sha256", "loaded_at": "me_loaded_at", "source_kind": "source_kind"}
INTEGER = st.column_config.NumberColumn(format="%d")
TWO_DECIMALS = st.column_config.NumberColumn(format="%.2f")


def show(table: pd.DataFrame, headers: dict, basename: str, config: dict | None = None, on_screen=None,
         unset: dict | None = None, search: bool = True) -> None:
    """A table with translated headers under a search box, and its download buttons; a source_kind column
    marks the rows.

    ``on_screen`` names the columns to show (default all, empty: download only); ``unset`` shows number
    columns as text with 2 decimals, and a missing value as the given words (the grid would say "None");
    ``search``: False for a table of a few fixed rows.
    """
    view = table[list(headers)].rename(columns={c: tr(key) for c, key in headers.items()})
    kinds = table["source_kind"] if "source_kind" in table else None
    shown = [tr(headers[c]) for c in (headers if on_screen is None else on_screen)]
    if shown:
        screen = view.assign(**{tr("source_kind"): kinds.map(source_label)}) if kinds is not None else view
        for column, text in (unset or {}).items():
            screen = screen.assign(**{tr(headers[column]): [text if pd.isna(v) else f"{v:.2f}" for v in table[column]]})
        rows = search_box(screen[shown], basename) if search else screen[shown]
        st.dataframe(rows, hide_index=True, width="stretch", height="content", key=basename,
                     column_config={tr(headers[c]): fmt for c, fmt in (config or {}).items()})
    download_buttons(view.drop(columns=tr("source_kind"), errors="ignore"), basename, basename, source_kinds=kinds)


def rule_line(row) -> str:
    """One indicator's rule in words; an open group, whose weights each department sets, has no weight."""
    text = tr("me_formula_then_rule", formula=row.formula, rule=row.rule) if row.formula else row.rule
    if pd.isna(row.weight):
        return tr("me_rule_line_open", indicator=row.indicator, kind=row.rule_kind, text=text)
    return tr("me_rule_line", indicator=row.indicator, weight=f"{row.weight:g}", kind=row.rule_kind, text=text)


page_start("page_method")
lang = language()

# -- real and synthetic data -----------------------------------------------------------------------
overview = load(catalog.source_overview)
synthetic_count = catalog.synthetic_evaluations(overview)
synthetic_notice(synthetic_count)
st.header(tr("me_data_heading"))
real, synthetic, departments = st.columns(3)
real.metric(tr("me_real_evaluations"), int(overview["evaluations"].sum()) - synthetic_count)
synthetic.metric(tr("me_synthetic_evaluations"), synthetic_count)
departments.metric(tr("me_departments"), load(catalog.department_count))

st.subheader(tr("me_overview_title"))
show(overview, {c: COUNT_HEADERS[c] for c in ("source_kind", "evaluations", "departments", "first_year", "last_year")},
     "data_by_source", config={"first_year": INTEGER, "last_year": INTEGER}, search=False)   # a row per source kind
st.subheader(tr("me_by_year_title"))
show(load(catalog.source_by_year), {c: COUNT_HEADERS[c] for c in ("year", "source_kind", "evaluations", "departments")},
     "data_by_year", config={"year": INTEGER})

# a sha256 is too wide for a table column at 1366 px, so the files are listed as text
st.subheader(tr("me_files_title"))
files = load(catalog.source_files)
if files.empty:
    st.info(tr("me_no_files"))
for f in files.itertuples():
    st.markdown(f"- **{markdown(f.department)} {f.year}** · {source_label(f.source_kind)} · {tr('me_source_file')} "
                f"{markdown(f.source_file)} · {tr('me_loaded_at')} {f.loaded_at:%Y-%m-%d %H:%M}  \n"
                f"  {tr('me_sha256')} `{markdown(recorded(f.source_sha256))}`")
if not files.empty:
    show(files, FILE_HEADERS, "source_files", on_screen=())

st.subheader(tr("me_generator_title"))
meta = load(catalog.meta)
if "demo_seed" in meta:
    st.markdown(tr("me_generator_note", seed=meta["demo_seed"], built_at=meta.get("built_at", "—")))
county = load(catalog.synthetic_county)
if county:
    st.markdown(tr("me_county_note", county=markdown(county["name"]), seed=county["seed"],
                   departments=county["departments"], first_year=county["first_year"], last_year=county["last_year"]))
if "demo_seed" not in meta and not county:
    st.info(tr("me_no_generator"))

# -- the framework ---------------------------------------------------------------------------------
frameworks = load(catalog.frameworks)
if frameworks.empty:
    st.info(tr("me_no_framework"))
else:       # the chosen framework's (shared with every page), of all those stored
    chosen = context.framework(list(frameworks[["id", "name_zh", "name_en", "evaluations"]].itertuples(index=False)))
    frameworks = frameworks[frameworks["id"] == chosen]
for fw in frameworks.itertuples():
    st.header(tr("me_framework_heading", name=fw.name_en if lang == "en" and fw.name_en else fw.name_zh))
    st.caption(tr("me_framework_caption", source=fw.source, sha256=fw.sha256))
    st.subheader(tr("me_tree_title"))
    tree = load(catalog.framework_tree, fw.id, lang)
    show(tree, {"level1_label": "me_level1", "level2_label": "me_level2", "indicator": "me_level3",
                "weight": "me_weight", "rule_kind": "me_rule_kind", "formula": "me_formula", "rule": "me_rule_words"},
         f"framework_{fw.id}", on_screen=["level1_label", "level2_label", "indicator", "weight", "rule_kind"],
         unset={"weight": tr("me_weight_own")},
         # widths that keep the long names (zh level 1, English levels 2 and 3 and rule kinds) whole at 1366 px
         config={"level1_label": st.column_config.TextColumn(width=185),
                 "level2_label": st.column_config.TextColumn(width=225),
                 "indicator": st.column_config.TextColumn(width=252),
                 "weight": st.column_config.TextColumn(width=75),
                 "rule_kind": st.column_config.TextColumn(width=158)})
    # the rules are sentences: as text they wrap, in a table they would be cut off
    st.subheader(tr("me_rule_words"))
    for level1, rows in tree.groupby("level1_label", sort=False):
        st.markdown(f"**{markdown(level1)}**\n" + "\n".join("- " + rule_line(r) for r in rows.itertuples()))
    checks = load(catalog.checklist, fw.id, lang)
    if not checks.empty:
        st.subheader(tr("me_checks_title"))
        show(checks, {"indicator": "me_level3", "check_no": "me_check_no", "check": "me_check",
                      "deduction": "me_deduction"}, f"checks_{fw.id}", config={"deduction": TWO_DECIMALS})
    st.subheader(tr("me_grades_title"))
    show(load(catalog.grade_bands, fw.id, lang), {"grade": "grade", "range": "me_range", "synonyms": "me_synonyms"},
         f"grades_{fw.id}", search=False)     # a row per grade

st.subheader(tr("me_conventions_title"))
st.markdown("\n".join(f"- {tr(key)}" for key in ("me_convention_rates", "me_convention_scores",
                                                  "me_convention_side_by_side", "me_convention_missing")))

st.subheader(tr("me_params_title"))
params = shown_regions(load(catalog.year_params, lang))
if params.empty:
    st.info(tr("me_no_params"))
else:
    show(params, {"region": "region", "year": "year", "parameter": "me_param", "value": "me_param_value",
                  "source": "me_param_source", "source_kind": "source_kind"},
         "year_parameters", config={"year": INTEGER, "value": TWO_DECIMALS})
