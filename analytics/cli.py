"""`python -m analytics …`: a thin command line over the same functions the pages use."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from analytics import cli_data, cli_framework, compare, scenario
from analytics.cli_output import fmt, print_json
from analytics.framework import FrameworkError, default_framework
from analytics.i18n import t
from analytics.ingest.report_import import ReportImportError
from analytics.ingest.report_parser import ReportParseError, parse_report
from analytics.paths import database_path
from analytics.scenario import ScenarioInputError
from analytics.store import StoreError, open_store

USER_ERRORS = (compare.NotFoundError, cli_framework.FrameworkNotFound, ReportParseError, ReportImportError, StoreError, FrameworkError,
               ScenarioInputError, ValueError)


def cmd_init_db(args) -> int:
    if args.demo:
        from analytics.demo import build_demo
        print_json(build_demo(database_path(), seed=args.seed))
    else:
        open_store().close()
        print(f"empty database ready at {database_path()}")
    return 0


def stored_frameworks() -> dict:
    """The frameworks stored in the database, when there is one (a report may follow any of them)."""
    if not database_path().exists():
        return {}
    from analytics.scores import stored_frameworks as read_stored
    store = open_store(read_only=True)
    try:
        return read_stored(store.cursor())
    finally:
        store.close()


def cmd_parse_report(args) -> int:
    if not Path(args.path).is_file():
        raise StoreError(f"no such file or folder: {args.path}")
    parsed = parse_report(Path(args.path), default_framework(), stored_frameworks())
    if args.json:
        print_json(parsed)
    else:
        for key, value in parsed.items():
            if key not in ("indicators", "checks", "findings"):
                print(f"{key}: {value}")
        for check in parsed["checks"]:
            print(f"{check['indicator']}: reported {fmt(check['reported'])}, rule {fmt(check['rule'])}"
                  f"{'' if check['agrees'] else '  ← disagrees'}")
        for finding in parsed["findings"]:
            print("finding: " + ", ".join(f"{key} {value}" for key, value in finding.items()))
    return 0


def report_files(paths: list[str]) -> list[tuple[str, bytes]]:
    """The files named, a folder's report files and archives (sorted, sub-folders too) in their place."""
    from analytics.ingest.report_batch import is_report
    files = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            found = [(str(p.relative_to(path.parent)), p.read_bytes())
                     for p in sorted(path.rglob("*")) if p.is_file() and is_report(p.name)]
            if not found:
                raise StoreError(f"no report files (.txt, .docx, .pdf, .zip) in {name}")
            files += found
        elif path.is_file():
            files.append((path.name, path.read_bytes()))
        else:
            raise StoreError(f"no such file or folder: {name}")
    return files


def cmd_import_report(args) -> int:
    import pandas as pd
    from analytics.ingest.messages import notice_text
    from analytics.ingest.report_batch import file_table, import_reports
    files = report_files(args.paths)
    note = args.note or f"report {Path(args.paths[0]).name}" + (f" and {len(files) - 1} more" if len(files) > 1 else "")
    result = import_reports(database_path(), files, note, replace=args.replace,
                            create_departments=args.create_departments, allow_similar_names=args.allow_similar_names,
                            replace_parameters=args.replace_parameters, valid_only=args.valid_only, region=args.region,
                            progress=lambda i, n, name: print(t("batch_progress", args.lang, i=i, n=n, file=name),
                                                              file=sys.stderr))
    table = pd.DataFrame(file_table(result, args.lang)).to_string(index=False)
    if not result.accepted:
        print(table, file=sys.stderr)
        print("error: import rejected, nothing was written", file=sys.stderr)
        return 2
    print(table)
    for outcome in result.outcomes:
        for finding in outcome.findings:
            print(f"{outcome.department} {outcome.year}: {notice_text(finding, args.lang)}")
    print(f"version {result.version_id}" if result.version_id else "nothing changed; no new version")
    return 0


def cmd_rank(args) -> int:
    store = open_store(read_only=True)
    try:
        try:
            if args.framework is None:           # the year's frameworks in the region given, or in every region
                held = compare.year_frameworks(store, args.year, args.region)
                if len(held) > 1:
                    raise compare.MixedFrameworksError(args.year, args.region, held)
            frame = compare.ranking(store, args.year, args.region, args.framework)
        except compare.MixedFrameworksError as error:
            print(f"error: {mixed_frameworks_text(error, args.lang)}", file=sys.stderr)
            return 2
        fw = compare.frameworks(store)[frame["framework_id"].iloc[0]]
    finally:
        store.close()
    level1 = [node.code for node in fw.nodes]
    columns = ["rank", "department", "total", "grade", *level1, "gap_to_mean", "rule_total", "rule_grade",
               "source_kind", "framework_id"]
    if args.json:
        print_json(json.loads(frame[columns].to_json(orient="records", force_ascii=False)))
        return 0
    print(t("cli_rank_framework", args.lang, name=_name(fw.name_zh, fw.name_en, args.lang), code=fw.code,
            year=args.year))
    print(t("cli_rank_level1", args.lang, items="  ".join(
        f"L{n}={_name(node.zh, node.en, args.lang)}" for n, node in enumerate(fw.nodes, 1))))
    print(f"{'rank':>4}  {'total':>6}  {'grade':<4}  " + " ".join(f"{f'L{n}':>6}" for n in range(1, len(level1) + 1))
          + f"  {'vs mean':>7}  {'rule':>6}  department")
    for row in frame.itertuples(index=False):
        marker = "  [synthetic]" if row.source_kind == "synthetic" else ""
        scores = " ".join(f"{fmt(getattr(row, code)):>6}" for code in level1)
        print(f"{row.rank:>4}  {fmt(row.total):>6}  {row.grade or '—':<4}  {scores}  {row.gap_to_mean:>+7.2f}  "
              f"{fmt(row.rule_total):>6}  {row.department}{marker}")
    return 0


def _name(zh: str, en: str | None, lang: str) -> str:
    return (en or zh) if lang == "en" else zh


def mixed_frameworks_text(error: compare.MixedFrameworksError, lang: str) -> str:
    """The refusal of a ranking across frameworks, naming the frameworks the year holds."""
    items = t("cli_list_separator", lang).join(
        t("cli_framework_item", lang, code=code, name=_name(zh, en, lang), count=count)
        for code, zh, en, count in error.frameworks)
    return t("cli_mixed_frameworks", lang, year=error.year, frameworks=items)


def cmd_show(args) -> int:
    store = open_store(read_only=True)
    try:
        evaluation_id = compare.find_evaluation(store, args.department, args.year, args.region)
        summary = compare.evaluation_summary(store, evaluation_id)
        tree = compare.indicator_tree(store, evaluation_id)
        fw = compare.frameworks(store)[summary["framework_id"]]
    finally:
        store.close()
    if args.json:
        print_json({"summary": summary, "framework": {"code": fw.code, "name_zh": fw.name_zh, "name_en": fw.name_en},
                    "indicators": json.loads(tree.to_json(orient="records", force_ascii=False))})
        return 0
    print(_show_text(summary, tree, fw))
    return 0


def _target_text(row) -> str:
    if not row.brought or not (row.target_text or row.actual_text):
        return ""
    unit = f" [{row.unit}]" if row.unit else ""
    return f"  target {row.target_text or '—'}, actual {row.actual_text or '—'}{unit}"


def _show_text(summary: dict, tree, fw) -> str:
    lines = [f"{summary['department']} {summary['year']}  source: {summary['source_kind']}"
             f"{'  [SYNTHETIC DATA]' if summary['source_kind'] == 'synthetic' else ''}",
             f"framework: {fw.name_zh} [{fw.code}]",
             f"reported total {fmt(summary['reported_total'])} ({summary['reported_grade'] or '—'}); "
             f"by the rules {fmt(summary['rule_total'])} ({summary['rule_grade'] or '—'})", ""]
    lines.append(f"{'indicator':<34} {'weight':>6} {'reported':>9} {'rule':>7}")
    for row in tree.itertuples(index=False):
        indent = "  " * (row.depth - 1)
        if not row.leaf:
            lines.append(f"{indent}{row.zh} ({fmt(row.weight, 0)})  "
                         f"reported {fmt(row.reported)}, by the rules {fmt(row.value)}")
            continue
        flag = "  ≠" if row.disagrees else ""
        inferred = "*" if row.inferred else ""
        lines.append(f"{indent}{row.zh:<{max(34 - len(indent), 1)}} {row.weight:>6g} "
                     f"{fmt(row.reported) + inferred:>9} {fmt(row.rule):>7}{flag}{_target_text(row)}")
    disagreements = tree[tree["leaf"] & tree["disagrees"]]
    lines.append("")
    if disagreements.empty:
        lines.append("Reported and rule scores agree on every indicator.")
    for row in disagreements.itertuples(index=False):
        lines.append(f"Disagreement — {row.zh}: reported {fmt(row.reported)}, rule gives "
                     f"{fmt(row.rule)} ({row.difference:+.2f}); total would be "
                     f"{fmt(summary['reported_total'] + row.difference)}")
    if tree["inferred"].any():
        lines.append("* score not printed in the report; inferred from the level-1 score")
    return "\n".join(lines)


def _parse_settings(text: str) -> dict:
    settings = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep:
            raise ScenarioInputError({part: "expected KEY=VALUE"})
        try:
            settings[key.strip()] = float(value)
        except ValueError:
            raise ScenarioInputError({key.strip(): f"'{value}' is not a number"}) from None
    return settings


def _baseline(args):
    store = open_store(read_only=True)
    try:
        return scenario.load_baseline(store, args.department, args.year, args.region)
    finally:
        store.close()


def cmd_what_if(args) -> int:
    baseline = _baseline(args)
    actual = scenario.actual(baseline)
    result = scenario.apply(baseline, _parse_settings(args.set or ""))
    payload = {"department": baseline.department, "year": baseline.year, "source_kind": baseline.source_kind,
               **result.as_dict(), "actual": {k: v for k, v in actual.as_dict().items()
                                              if k not in ("change", "changed_indicators")}}
    if args.json:
        print_json(payload)
        return 0
    print(f"{baseline.department} {baseline.year}  (what-if; the stored evaluation is unchanged)")
    for key in (*result.level1, "total"):
        print(f"  {key:<20} {fmt(payload['actual'][key]):>7} → {fmt(payload[key]):>7}  ({payload['change'][key]:+.2f})")
    print(f"  grade {actual.grade} → {result.grade};  rank {actual.rank} → {result.rank} of {result.rank_of}")
    return 0


def cmd_goal_seek(args) -> int:
    """Goal seek by any numeric input of the evaluation (``analytics.domain.goal_seek``), on any framework."""
    from analytics import goal_seek, scenario_text, seek_text
    from analytics.domain import goal_seek as domain_seek
    baseline = _baseline(args)
    fw, lang = baseline.framework, args.lang
    held = scenario.spending_as_amount(baseline, _parse_settings(args.set or ""))
    scenario.validate(baseline, held)
    ev = domain_seek.settle_to(fw, baseline.inputs, scenario.scenario_inputs(baseline, held))
    if args.inputs:
        print_json([{**item.__dict__, "ref": str(item.ref)} for item in domain_seek.numeric_inputs(fw, ev)])
        return 0
    current = scenario.actual(baseline).total
    try:
        if args.target_score is not None:
            target, goal = args.target_score, scenario_text.goal_label("score", args.target_score, lang)
        elif args.target_grade:
            target = domain_seek.grade_target(fw, args.target_grade)
            goal = scenario_text.goal_label("grade", target, lang, fw.normalise_grade(args.target_grade), fw)
        else:
            target = goal_seek.rank_above_target(baseline, current)
            if target is None:
                print(json.dumps({"reachable": True, "already": True, "message": "already ranked first"}))
                return 0
            goal = scenario_text.goal_label("rank", target, lang)
        answer = domain_seek.seek(fw, ev, args.vary, target)
    except domain_seek.SeekError as exc:
        print(f"error: {seek_text.error(exc, domain_seek.numeric_inputs(fw, ev), lang)}", file=sys.stderr)
        return 2
    message = seek_text.describe(baseline.tree, domain_seek.find_input(fw, ev, answer.ref), answer, goal, lang)
    if args.json:
        print_json({"department": baseline.department, "year": baseline.year, "current_total": current,
                    "vary": str(answer.ref), **answer.as_dict(), "message": message})
    else:
        print(message)
    return 0 if answer.reachable else 3


def cmd_bench(args) -> int:
    from analytics.bench import page_benchmark, run_benchmark
    if args.pages_only:
        print_json(page_benchmark(regions=args.regions, departments=args.departments, years=args.years))
        return 0
    print_json(run_benchmark(regions=args.regions, departments=args.departments, years=args.years,
                              sample=args.sample, pages=not args.no_pages))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m analytics",
                                     description="绩效驾驶舱 engine. The database is data/analytics.duckdb "
                                                 "unless ANALYTICS_DB names another file.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("init-db", help="create the database; --demo fills it with the seed and synthetic data")
    p.add_argument("--demo", action="store_true", help="real seed report plus seeded synthetic evaluations")
    p.add_argument("--seed", type=int, default=20221, help="random seed of the synthetic generator")
    p.set_defaults(func=cmd_init_db)

    p = sub.add_parser("parse-report", help="parse an evaluation report (.txt in UTF-8 or GBK, .docx or .pdf) "
                                            "and print its figures")
    p.add_argument("path")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_parse_report)

    p = sub.add_parser("import-report", help="store reports (files, folders, .zip archives) as evaluations, as one "
                                             "version: all or nothing unless --valid-only")
    p.add_argument("paths", nargs="+")
    p.add_argument("--valid-only", action="store_true", help="import the valid files and list the rejected ones")
    p.add_argument("--region", help="region of the department (default: the framework's)")
    p.add_argument("--replace", action="store_true", help="replace an evaluation of the same department-year")
    cli_data.add_import_options(p)
    p.add_argument("--note", help="a note for the data version")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages")
    p.set_defaults(func=cmd_import_report)

    p = sub.add_parser("rank", help="a year's ranking within one framework")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--region")
    p.add_argument("--framework", help="framework code; needed when the year holds several frameworks")
    p.add_argument("--json", action="store_true")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of messages")
    p.set_defaults(func=cmd_rank)

    p = sub.add_parser("show", help="one department-year's indicator tree, reported and rule scores")
    p.add_argument("department")
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--region")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_show)

    p = sub.add_parser("what-if", help="rescore one department-year with changed inputs (nothing is stored)")
    p.add_argument("--department", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--region")
    p.add_argument("--set", help="KEY=VALUE[,KEY=VALUE…]: any figure the evaluation's rules read (budget_total, "
                   "spent_total, carryover_amount, municipal_avg_diff_rate …), execution_rate, failed:<checklist code>, "
                   "score:<judged code>, actual:<target code>, coefficient:<code>")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_what_if)

    p = sub.add_parser("goal-seek", help="the value of one input that reaches a grade, a score or the rank above")
    p.add_argument("--department", required=True)
    p.add_argument("--year", type=int, required=True)
    p.add_argument("--region")
    target = p.add_mutually_exclusive_group()
    target.add_argument("--target-grade", help="优秀|良好|中 (or Excellent|Good|Fair)")
    target.add_argument("--target-score", type=float)
    target.add_argument("--target-rank-above", action="store_true", help="reach the department ranked above (default)")
    p.add_argument("--vary", default="spent_total",
                   help="the input to change: a figure its rules read (spent_total, carryover_amount, "
                        "satisfaction_rate …) or LEAF:FIELD with FIELD failed|given|coefficient|actual "
                        "(e.g. fund_compliance:failed); --inputs lists them")
    p.add_argument("--inputs", action="store_true", help="list the evaluation's numeric inputs (JSON) and stop")
    p.add_argument("--set", help="other inputs held at these values, as for what-if")
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_goal_seek)

    cli_data.register(sub)
    cli_framework.register(sub)

    p = sub.add_parser("bench", help="national-scale benchmark in a temporary folder; prints JSON")
    p.add_argument("--regions", type=int, default=370)
    p.add_argument("--departments", type=int, default=55, help="departments per region")
    p.add_argument("--years", type=int, default=10)
    p.add_argument("--sample", type=int, default=200, help="evaluations timed on the one-evaluation path")
    p.add_argument("--no-pages", action="store_true", help="skip the page render timings (AppTest)")
    p.add_argument("--pages-only", action="store_true",
                   help="only the page render timings, on each framework of the demo and national databases")
    p.set_defaults(func=cmd_bench)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command == "deck" and args.year is None and args.scenario is None:
        parser.error("deck needs --year (or --scenario)")
    try:
        return args.func(args)
    except USER_ERRORS as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
