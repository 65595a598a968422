"""Printing helpers shared by the command-line modules."""
from __future__ import annotations

import json


def print_json(obj) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, default=str))


def fmt(value, digits: int = 2) -> str:
    return "—" if value is None or value != value else f"{value:.{digits}f}"
