"""`python -m analytics` commands that move data in and out: import, versions, restore, template,
export, and decks."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from analytics.cli_output import print_json
from analytics.paths import database_path
from analytics.store import StoreError, open_store


def cmd_import(args) -> int:
    from analytics.ingest.bulk_import import import_files, read_paths
    from analytics.ingest.messages import issue_table, notice_text
    from analytics.ingest.report_batch import import_reports, is_report
    missing = [p for p in args.files if not Path(p).is_file()]
    if missing:
        raise StoreError(f"no such file: {', '.join(missing)}")
    files = read_paths([Path(p) for p in args.files])
    if all(is_report(name) for name, _ in files):
        return _import_reports(files, args, import_reports)
    if any(is_report(name) for name, _ in files):
        raise StoreError("import report files (.txt, .docx) and template files (.xlsx, .csv) separately")
    result = import_files(database_path(), files, note=args.note or "", valid_rows_only=args.valid_rows_only,
                          create_departments=args.create_departments, allow_similar_names=args.allow_similar_names)
    if result.issues:
        stream = sys.stdout if result.accepted else sys.stderr
        print(issue_table(result.issues, args.lang).to_string(index=False), file=stream)
    if not result.accepted:
        print(f"error: import rejected, nothing was written ({len(result.issues)} problems)", file=sys.stderr)
        return 2
    skipped = f"; skipped {len(result.skipped)} with problems" if result.skipped else ""
    if result.version_id is None:
        print(f"nothing changed: the {len(result.imported)} evaluations in the files are identical to those "
              f"stored; no new version{skipped}")
    else:
        print(f"imported {len(result.imported)} evaluations as version {result.version_id}{skipped}")
    for change in result.parameter_changes:
        print(notice_text(change.notice(), args.lang))
    return 0


def _import_reports(files, args, import_reports) -> int:
    from analytics.ingest.messages import error_text, notice_text
    result = import_reports(database_path(), files, args.note or "", replace=args.replace,
                            create_departments=args.create_departments, allow_similar_names=args.allow_similar_names,
                            replace_parameters=args.replace_parameters)
    if not result.accepted:
        for name, error in result.errors.items():
            print(f"{name}: {error_text(error, args.lang)}", file=sys.stderr)
        print("error: import rejected, nothing was written", file=sys.stderr)
        return 2
    for outcome in result.outcomes:
        print(f"{outcome.department} {outcome.year}: {outcome.status}")
        for finding in outcome.findings:
            print(f"  {notice_text(finding, args.lang)}")
    print(f"version {result.version_id}" if result.version_id else
          f"nothing changed: the {len(result.outcomes)} reports are identical to those stored; no new version")
    return 0


def cmd_versions(args) -> int:
    from analytics import versions
    store = open_store(read_only=True)
    try:
        frame = versions.list_versions(store)
        changes = versions.version_changes(store, args.show) if args.show else None
    finally:
        store.close()
    if args.json:
        print_json(json.loads(frame.to_json(orient="records", force_ascii=False, date_format="iso")))
    elif changes is not None:
        print(changes.to_string(index=False) if len(changes) else "nothing changed")
    else:
        print(frame.drop(columns=["files"]).to_string(index=False))
    return 0


def cmd_restore(args) -> int:
    from analytics import versions
    new_id = versions.restore(database_path(), args.version, args.note or "")
    print(f"restored version {args.version} as version {new_id}" if new_id else
          f"nothing changed: the current data are those of version {args.version}; no new version")
    return 0


def cmd_template(args) -> int:
    from analytics.ingest.export import write_template
    example = None if args.blank or not database_path().exists() else open_store(read_only=True)
    try:
        print(write_template(Path(args.out), example))
    finally:
        if example is not None:
            example.close()
    return 0


def cmd_export(args) -> int:
    from analytics.ingest.export import export_parquet, export_workbook
    store = open_store(read_only=True)
    try:
        if args.out.endswith(".xlsx"):
            print(export_workbook(store, Path(args.out), args.year, args.region, args.lang))
        else:
            for path in export_parquet(store, Path(args.out), args.year, args.region):
                print(path)
    finally:
        store.close()
    return 0


def cmd_deck(args) -> int:
    import time
    from analytics import slides
    from analytics.deck import write_deck
    started = time.perf_counter()
    store = open_store(read_only=True)
    try:
        what_if = None
        if args.scenario is not None:
            from analytics.scenario_store import ScenarioStore
            saved = ScenarioStore()
            try:
                chosen = saved.get(args.scenario)
            finally:
                saved.close()
            what_if = {"name": chosen["name"], "overrides": chosen["overrides"]}
            args.department, args.year = chosen["department"], int(chosen["year"])
        if args.department:
            deck = slides.department_deck(store, args.department, args.year, args.lang, args.region, what_if)
        else:
            deck = slides.year_deck(store, args.year, args.lang, args.region, args.category, args.grade,
                                    args.framework)
    finally:
        store.close()
    out = write_deck(deck, Path(args.out))
    print(f"{out} ({len(deck.slides)} slides, {time.perf_counter() - started:.1f} s)")
    return 0


def add_import_options(p) -> None:
    """Options shared by `import` and `import-report`."""
    p.add_argument("--create-departments", action="store_true", help="create departments the database does not know")
    p.add_argument("--allow-similar-names", action="store_true",
                   help="with --create-departments: also create names nearly equal to an existing department's "
                        "(refused by default as likely typos)")
    p.add_argument("--replace-parameters", action="store_true",
                   help="reports: a stated 市级平均差异率 replaces a published stored one (default: the stored one "
                        "stays and the contradiction is reported)")


def register(sub) -> None:
    p = sub.add_parser("import", help="validate and import template workbooks (.xlsx, or one .csv per sheet), "
                                      "or several reports (.txt, .docx) at once")
    p.add_argument("files", nargs="+")
    p.add_argument("--valid-rows-only", action="store_true", help="import the evaluations without problems, skip the rest")
    add_import_options(p)
    p.add_argument("--replace", action="store_true", help="reports: replace real evaluations of the same year")
    p.add_argument("--note", help="a note for the data version")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the validation report")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("versions", help="list data versions, or --show N: what version N changed")
    p.add_argument("--show", type=int)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_versions)

    p = sub.add_parser("restore", help="make an earlier data version current again (as a new version)")
    p.add_argument("version", type=int)
    p.add_argument("--note")
    p.set_defaults(func=cmd_restore)

    p = sub.add_parser("template", help="write the import template (with the seed evaluation as an example)")
    p.add_argument("out")
    p.add_argument("--blank", action="store_true", help="headers only, no example rows")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser("export", help="export in the template layout: OUT.xlsx, or a folder for Parquet files")
    p.add_argument("out")
    p.add_argument("--year", type=int)
    p.add_argument("--region")
    p.add_argument("--lang", default="zh", choices=["zh", "en"], help="language of the notes and messages")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("deck", help="a department's or a whole year's slides as .pptx or .pdf")
    p.add_argument("--department", help="one department; without it, the year's pack (summary + every department)")
    p.add_argument("--year", type=int)
    p.add_argument("--out", required=True, help="FILE.pptx or FILE.pdf")
    p.add_argument("--lang", default="zh", choices=["zh", "en"])
    p.add_argument("--region")
    p.add_argument("--category", action="append", help="year pack: only this category (repeatable)")
    p.add_argument("--grade", action="append", help="year pack: only this grade (repeatable)")
    p.add_argument("--framework", help="year pack: the framework, when the year holds several")
    p.add_argument("--scenario", type=int, help="show a saved what-if scenario (its department and year)")
    p.set_defaults(func=cmd_deck)
