"""Signing in with the staff password: a limit on wrong guesses from one address, and a log of every attempt.

The limit is kept per address and checked and counted in one step: a check
is reserved before the (slow, deliberately) password hash is compared, so
forty guesses sent at once get no more checks than five sent one by one.
Every attempt is logged with its time, address, the name typed and the
result, never the password.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import UTC, datetime

log = logging.getLogger(__name__)

# Failed sign-ins allowed from one address before it must wait.
SIGN_IN_ATTEMPTS = 5
SIGN_IN_WAIT_S = 60.0


class SignInThrottle:
    """Slows down guessing: after a few wrong passwords from one address, it must wait a minute."""

    def __init__(self, attempts: int = SIGN_IN_ATTEMPTS, wait_s: float = SIGN_IN_WAIT_S):
        self.attempts, self.wait_s = attempts, wait_s
        self.failures: dict[str, list[float]] = {}
        self.checking: dict[str, int] = {}  # checks under way, by address
        self.lock = threading.Lock()

    def begin(self, address: str) -> float:
        """Reserve a check for ``address``: 0 when it may check now, else the seconds to wait.

        A reserved check counts as a failure until :meth:`end` says how it went.
        """
        with self.lock:
            now = time.monotonic()
            recent = [t for t in self.failures.get(address, []) if now - t < self.wait_s]
            if recent:
                self.failures[address] = recent
            else:
                self.failures.pop(address, None)
            under_way = self.checking.get(address, 0)
            if len(recent) + under_way >= self.attempts:
                return self.wait_s - (now - recent[0]) if len(recent) >= self.attempts else 1.0
            self.checking[address] = under_way + 1
            return 0.0

    def end(self, address: str, succeeded: bool) -> None:
        """The reserved check of ``address`` is done: a success clears its failures, a failure is counted."""
        with self.lock:
            left = self.checking.get(address, 1) - 1
            if left:
                self.checking[address] = left
            else:
                self.checking.pop(address, None)
            if succeeded:
                self.failures.pop(address, None)
            else:
                self.failures.setdefault(address, []).append(time.monotonic())


def log_attempt(address: str, name: str, result: str) -> None:
    """One line for each sign-in attempt: when, from where, the name typed and what came of it."""
    log.info("sign-in at %s from %s, name %r: %s", datetime.now(UTC).isoformat(timespec="seconds"), address,
             name, result)
