"""`python -m analytics framework …`: framework workbooks and the shipped framework files.

    framework template OUT.xlsx          a blank workbook (dropdowns, instructions, the national example)
    framework check FILE.xlsx|FILE.json  validate; every problem with its sheet, row and column (exit 2 on errors)
    framework export CODE OUT.xlsx       a shipped framework as a workbook (imports back equal)
    framework import FILE.xlsx|FILE.json validate and store in the database, as a new data version
    framework list [--json]              the shipped frameworks and those stored in the database
    framework show CODE [--json]         one framework's tree, weights and rules (the stored one first)
"""
from __future__ import annotations

import sys
from pathlib import Path

from analytics import catalog, evaluation_tree
from analytics.cli_output import print_json
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.authoring.writer import export_framework, write_template
from analytics.domain.loader import framework_to_dict, shipped_frameworks
from analytics.domain.messages import describe
from analytics.domain.model import Framework
from analytics.framework_import import import_framework
from analytics.i18n import t
from analytics.paths import database_path, file_sha256
from analytics.store import open_store


class FrameworkNotFound(ValueError):
    pass


def _shipped_by_code() -> dict[str, Framework]:
    return {fw.code: fw for fw, _ in shipped_frameworks().values() if fw is not None}


def _stored() -> dict[str, tuple[Framework, int]]:
    """The frameworks stored in the database with how many evaluations use each; none without a database."""
    if not database_path().exists():
        return {}
    store = open_store(read_only=True)
    try:
        counts = dict(catalog.frameworks(store)[["id", "evaluations"]].itertuples(index=False))
        return {code: (fw, int(counts.get(code, 0))) for code, fw in evaluation_tree.frameworks(store).items()}
    finally:
        store.close()


def _find(code: str) -> Framework:
    """The framework stored in the database under ``code``, else the shipped one."""
    stored, shipped = _stored(), _shipped_by_code()
    if code in stored:
        return stored[code][0]
    if code not in shipped:
        raise FrameworkNotFound(f"no framework '{code}'; shipped: {', '.join(sorted(shipped))}"
                                + (f"; stored: {', '.join(sorted(stored))}" if stored else ""))
    return shipped[code]


def cmd_template(args) -> int:
    write_template(Path(args.out))
    print(f"framework template written to {args.out}")
    return 0


def _read_valid(path: Path, lang: str) -> Framework | None:
    """The framework in the file, its issues printed (errors to stderr, each with its sheet, row and column);
    None when it has errors."""
    if not path.is_file():
        raise FrameworkNotFound(f"no such file: {path}")
    fw, issues = read_framework_file(path)
    for issue in issues:
        print(describe(issue, lang), file=sys.stdout if fw else sys.stderr)
    if fw is None:
        print(f"error: {path.name}: {sum(i.severity == 'error' for i in issues)} problems", file=sys.stderr)
    return fw


def cmd_check(args) -> int:
    fw = _read_valid(Path(args.file), args.lang)
    if fw is None:
        return 2
    print(f"{fw.code} {fw.version}: {len(fw.leaves())} indicators, valid")
    return 0


def cmd_import(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise FrameworkNotFound(f"no such file: {path}")
    done = import_framework(database_path(), path.name, path.read_bytes(), file_sha256(path), args.note or "")
    fw = done.framework
    for issue in done.issues:
        print(describe(issue, args.lang), file=sys.stdout if fw else sys.stderr)
    if fw is None:
        print(f"error: {path.name}: {sum(i.severity == 'error' for i in done.issues)} problems", file=sys.stderr)
        return 2
    if done.in_use is not None:
        print(f"error: {t('cli_framework_in_use', args.lang, code=done.in_use.code, count=done.in_use.evaluations)}",
              file=sys.stderr)
        return 2
    if done.unchanged:
        print(t("cli_framework_unchanged", args.lang, code=fw.code, version=fw.version))
    else:
        print(t("cli_framework_stored", args.lang, code=fw.code, version=fw.version, indicators=len(fw.leaves()),
                data_version=done.version_id))
    return 0


def cmd_export(args) -> int:
    export_framework(_find(args.code), Path(args.out))
    print(f"{args.code} written to {args.out}")
    return 0


def cmd_list(args) -> int:
    shipped, stored = _shipped_by_code(), _stored()
    rows = []
    for code in [*shipped, *(c for c in stored if c not in shipped)]:
        fw, evaluations = stored.get(code, (shipped.get(code), None))
        rows.append({"code": fw.code, "version": fw.version, "name": fw.name_zh if args.lang == "zh" else fw.name_en,
                     "region": fw.region, "example": fw.example, "indicators": len(fw.leaves()),
                     "open_groups": len(fw.open_groups()), "shipped": code in shipped, "stored": code in stored,
                     "evaluations": evaluations})
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        where = " · ".join([*([t("cli_framework_shipped", args.lang)] if row["shipped"] else []),
                            *([t("cli_framework_in_database", args.lang, count=row["evaluations"])] if row["stored"]
                              else [])])
        print(f"{row['code']:<28} {row['version']:<8} {row['indicators']:>3}  {row['name']}  {where}"
              + ("  [example]" if row["example"] else ""))
    return 0


def cmd_show(args) -> int:
    fw = _find(args.code)
    if args.json:
        print_json(framework_to_dict(fw))
        return 0
    for node, depth, _ in fw.walk():
        name = node.zh if args.lang == "zh" else (node.en or node.zh)
        weight = "—" if node.weight is None else f"{node.weight:g}"
        rule = node.rule.kind if node.rule else ("(open)" if node.is_open else "")
        print(f"{'  ' * (depth - 1)}{name} [{node.code}] {weight} {rule}{'  *assumed' if node.assumed else ''}")
    return 0


def register(sub) -> None:
    p = sub.add_parser("framework", help="framework workbooks: template, check, import, export, list, show")
    fsub = p.add_subparsers(dest="framework_command", required=True)
    t = fsub.add_parser("template", help="write a blank framework workbook")
    t.add_argument("out")
    t.set_defaults(func=cmd_template)
    c = fsub.add_parser("check", help="validate a framework workbook or JSON file")
    c.add_argument("file")
    c.add_argument("--lang", default="zh", choices=["zh", "en"])
    c.set_defaults(func=cmd_check)
    i = fsub.add_parser("import", help="validate a framework workbook or JSON file and store it in the database")
    i.add_argument("file")
    i.add_argument("--note", help="a note for the data version")
    i.add_argument("--lang", default="zh", choices=["zh", "en"])
    i.set_defaults(func=cmd_import)
    e = fsub.add_parser("export", help="write a stored or shipped framework as a workbook")
    e.add_argument("code")
    e.add_argument("out")
    e.set_defaults(func=cmd_export)
    for name, func in (("list", cmd_list), ("show", cmd_show)):
        s = fsub.add_parser(name, help=f"{name} shipped and stored frameworks")
        if name == "show":
            s.add_argument("code")
        s.add_argument("--json", action="store_true")
        s.add_argument("--lang", default="zh", choices=["zh", "en"])
        s.set_defaults(func=func)
