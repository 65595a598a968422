"""Refusals of report files as a code and its parameters, put into words at the edge.

``str()`` is the English wording (for logs); ``message(lang)`` the user's language.
"""
from __future__ import annotations

from analytics.i18n import DEFAULT_LANGUAGE, t


class CodedRefusal(ValueError):
    """Worded by the translation ``<prefix><code>``."""
    prefix = "v_"

    def __init__(self, code: str, **params):
        self.code, self.params = code, params
        super().__init__(self.message("en"))

    def message(self, lang: str = DEFAULT_LANGUAGE) -> str:
        return t(f"{self.prefix}{self.code}", lang, **self.params)


class UnreadableReport(CodedRefusal):
    """A file that holds no readable report: empty, binary, encoding (offset), docx, pdf, no_text_layer."""
    prefix = "report_reason_"
