"""Who may change data: one admin password, from Streamlit secrets or ANALYTICS_ADMIN_PASSWORD; repeated
wrong passwords lock the session and the client address out for a growing time."""
from __future__ import annotations

import hmac
import os
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

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


@dataclass
class LoginThrottle:
    """Failed sign-ins per key (a session, a client address) within a window.  After ``free_failures`` the
    key is locked for ``first_lockout_s`` after its last failure, doubling with each further failure up to
    ``max_lockout_s``.  One per process, shared by every session, hence the lock."""
    free_failures: int = 5
    window_s: float = 900.0
    first_lockout_s: float = 30.0
    max_lockout_s: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[str, list[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _recent(self, key: str, now: float) -> list[float]:
        kept = [t for t in self._failures.get(key, []) if now - t < self.window_s]
        if kept:
            self._failures[key] = kept
        else:
            self._failures.pop(key, None)
        return kept

    def _wait(self, key: str, now: float) -> float:
        failures = self._recent(key, now)
        over = len(failures) - self.free_failures
        if over < 0:
            return 0.0
        lockout = min(self.first_lockout_s * 2 ** over, self.max_lockout_s)
        return max(0.0, failures[-1] + lockout - now)

    def wait_seconds(self, keys: Iterable[str]) -> float:
        """How long the most locked of these keys must still wait before the next attempt (0: not locked)."""
        with self._lock:
            now = self.clock()
            return max((self._wait(k, now) for k in keys), default=0.0)

    def failed(self, keys: Iterable[str]) -> None:
        with self._lock:
            now = self.clock()
            for key in keys:
                self._failures[key] = [*self._recent(key, now), now]

    def succeeded(self, keys: Iterable[str]) -> None:
        with self._lock:
            for key in keys:
                self._failures.pop(key, None)


THROTTLE = LoginThrottle()


@dataclass(frozen=True)
class LoginOutcome:
    """``code`` is "ok", "wrong" or "locked"; ``wait_s`` is the time before the next attempt is heard."""
    code: str
    wait_s: float = 0.0


def attempt_login(given: str | None, expected: str | None, keys: Iterable[str],
                  throttle: LoginThrottle | None = None) -> LoginOutcome:
    """Check a password unless one of ``keys`` is locked out; a wrong password counts against every key."""
    throttle = throttle or THROTTLE
    keys = list(keys)
    wait = throttle.wait_seconds(keys)
    if wait > 0:
        return LoginOutcome("locked", wait)
    if password_matches(given, expected):
        throttle.succeeded(keys)
        return LoginOutcome("ok")
    throttle.failed(keys)
    return LoginOutcome("wrong", throttle.wait_seconds(keys))
