"""The admin password as the pages ask for it: configured in secrets or the environment, checked through
the process-wide sign-in throttle for this session and this client address."""
from __future__ import annotations

import math
import secrets

import streamlit as st

from analytics import admin
from pages.common import tr


def _secrets() -> dict:
    try:
        return dict(st.secrets)
    except Exception:          # no secrets file at all: the environment variable may still be set
        return {}


def configured_password() -> str | None:
    return admin.configured_password(_secrets())


def login_keys() -> list[str]:
    """Who is trying: this session (a random token kept in it) and the client's address."""
    session = st.session_state.setdefault("login_session", secrets.token_hex(16))
    address = st.context.ip_address     # None on localhost (and not a str under AppTest's mocked runtime)
    return [f"session:{session}", f"address:{address if isinstance(address, str) else 'local'}"]


def check_password(given: str | None) -> admin.LoginOutcome:
    return admin.attempt_login(given, configured_password(), login_keys())


def signed_in() -> bool:
    """Signed in as admin in this session (on the data page)."""
    return bool(st.session_state.get("admin"))


def refusals(outcome: admin.LoginOutcome) -> list[str]:
    """Why a password was not accepted, in the user's language (nothing when it was)."""
    said = [tr("data_wrong_password")] if outcome.code == "wrong" else []
    return said + ([tr("data_login_locked", seconds=math.ceil(outcome.wait_s))] if outcome.wait_s > 0 else [])
