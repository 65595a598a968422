"""Who may change data: one admin password, from Streamlit secrets or ANALYTICS_ADMIN_PASSWORD."""
from __future__ import annotations

import hmac
import os

PASSWORD_ENV = "ANALYTICS_ADMIN_PASSWORD"
SECRET_KEY = "admin_password"


def configured_password(secrets: dict | None = None) -> str | None:
    """The configured password, or None when changing data is not enabled at all."""
    value = (secrets or {}).get(SECRET_KEY) or os.environ.get(PASSWORD_ENV)
    return value or None


def password_matches(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; nothing matches when no password is configured."""
    if not expected or given is None:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
