"""`python -m analytics framework …`: framework workbooks and the shipped framework files.

    framework template OUT.xlsx          a blank workbook (dropdowns, instructions, the national example)
    framework check FILE.xlsx|FILE.json  validate; every problem with its sheet, row and column (exit 2 on errors)
    framework export CODE OUT.xlsx       a shipped framework as a workbook (imports back equal)
    framework list [--json]              the shipped frameworks
    framework show CODE [--json]         one framework's tree, weights and rules
Storing an imported framework as a new version in the database is wired by the store (not here).
"""
from __future__ import annotations

import sys
from pathlib import Path

from analytics.cli_output import print_json
from analytics.domain.authoring.reader import read_framework_file
from analytics.domain.authoring.writer import export_framework, write_template
from analytics.domain.loader import framework_to_dict, shipped_frameworks
from analytics.domain.messages import describe


class FrameworkNotFound(ValueError):
    pass


def _shipped(code: str):
    found = {fw.code: fw for fw, _ in shipped_frameworks().values() if fw is not None}
    if code not in found:
        raise FrameworkNotFound(f"no framework '{code}'; shipped: {', '.join(sorted(found))}")
    return found[code]


def cmd_template(args) -> int:
    write_template(Path(args.out))
    print(f"framework template written to {args.out}")
    return 0


def cmd_check(args) -> int:
    path = Path(args.file)
    if not path.is_file():
        raise FrameworkNotFound(f"no such file: {path}")
    fw, issues = read_framework_file(path)
    for issue in issues:
        print(describe(issue, args.lang), file=sys.stdout if fw else sys.stderr)
    if fw is None:
        print(f"error: {path.name}: {sum(i.severity == 'error' for i in issues)} problems", file=sys.stderr)
        return 2
    print(f"{fw.code} {fw.version}: {len(fw.leaves())} indicators, valid")
    return 0


def cmd_export(args) -> int:
    export_framework(_shipped(args.code), Path(args.out))
    print(f"{args.code} written to {args.out}")
    return 0


def cmd_list(args) -> int:
    rows = [{"code": fw.code, "version": fw.version, "name": fw.name_zh if args.lang == "zh" else fw.name_en,
             "region": fw.region, "example": fw.example, "indicators": len(fw.leaves()),
             "open_groups": len(fw.open_groups())}
            for fw, _ in shipped_frameworks().values() if fw is not None]
    if args.json:
        print_json(rows)
        return 0
    for row in rows:
        print(f"{row['code']:<28} {row['version']:<8} {row['indicators']:>3}  {row['name']}"
              + ("  [example]" if row["example"] else ""))
    return 0


def cmd_show(args) -> int:
    fw = _shipped(args.code)
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
    p = sub.add_parser("framework", help="framework workbooks: template, check, export, list, show")
    fsub = p.add_subparsers(dest="framework_command", required=True)
    t = fsub.add_parser("template", help="write a blank framework workbook")
    t.add_argument("out")
    t.set_defaults(func=cmd_template)
    c = fsub.add_parser("check", help="validate a framework workbook or JSON file")
    c.add_argument("file")
    c.add_argument("--lang", default="zh", choices=["zh", "en"])
    c.set_defaults(func=cmd_check)
    e = fsub.add_parser("export", help="write a shipped framework as a workbook")
    e.add_argument("code")
    e.add_argument("out")
    e.set_defaults(func=cmd_export)
    for name, func in (("list", cmd_list), ("show", cmd_show)):
        s = fsub.add_parser(name, help=f"{name} shipped frameworks")
        if name == "show":
            s.add_argument("code")
        s.add_argument("--json", action="store_true")
        s.add_argument("--lang", default="zh", choices=["zh", "en"])
        s.set_defaults(func=func)
