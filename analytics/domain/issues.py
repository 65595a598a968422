"""Problems found in a framework or its inputs: a code, parameters and where (never a bare message).

Messages are put into words at the edge (``analytics.domain.messages``) from the code and parameters.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Issue:
    code: str
    params: dict = field(default_factory=dict, compare=True, hash=False)
    path: str = "$"                 # JSON path of the offending value, e.g. $.nodes[0].children[1].weight
    sheet: str | None = None        # set when the framework came from a workbook
    row: int | None = None
    column: str | None = None
    severity: str = "error"         # "error" blocks the framework; "warning" does not

    def at_cell(self, sheet: str, row: int | None, column: str | None) -> "Issue":
        return Issue(self.code, self.params, self.path, sheet, row, column, self.severity)


class FrameworkInvalid(ValueError):
    """Raised only at the edges that need an exception; carries the coded issues."""

    def __init__(self, issues: list[Issue]):
        self.issues = issues
        super().__init__("; ".join(f"{i.code} at {i.path} {i.params}" for i in issues))


def errors(issues: list[Issue]) -> list[Issue]:
    return [i for i in issues if i.severity == "error"]
