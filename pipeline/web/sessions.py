"""Staff sessions kept on the server, so that signing out, idling and time end them (OWASP ASVS V3.3).

The session cookie carries only a random id; what it may do is decided here.
An id is forgotten when its holder signs out, after ``idle`` seconds without
a request, and ``limit`` seconds after signing in, whichever comes first. A
copy of the cookie taken earlier then opens nothing. Sessions live in the
server's memory: restarting ``handout serve`` ends them all.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class _Session:
    started: float
    last_seen: float


class SessionStore:
    """The signed-in sessions of one running app, by id, with the clock they are timed by."""

    def __init__(self, idle_s: float, limit_s: float, clock: Callable[[], float] = time.time):
        self.idle_s, self.limit_s, self.clock = idle_s, limit_s, clock
        self._sessions: dict[str, _Session] = {}
        self.lock = threading.Lock()

    def start(self) -> str:
        """A new session's id, signed in from now."""
        session_id = secrets.token_urlsafe(32)
        now = self.clock()
        with self.lock:
            self._drop_expired(now)
            self._sessions[session_id] = _Session(now, now)
        return session_id

    def touch(self, session_id: str | None) -> bool:
        """Whether the session ``session_id`` is still signed in; if so, it counts as used now."""
        if not session_id:
            return False
        now = self.clock()
        with self.lock:
            found = self._sessions.get(session_id)
            if found is None:
                return False
            if now - found.last_seen > self.idle_s or now - found.started > self.limit_s:
                del self._sessions[session_id]
                return False
            found.last_seen = now
            return True

    def end(self, session_id: str | None) -> None:
        """Sign the session out: its cookie no longer opens anything, wherever a copy of it is."""
        with self.lock:
            self._sessions.pop(session_id or "", None)

    def __len__(self) -> int:
        with self.lock:
            return len(self._sessions)

    def _drop_expired(self, now: float) -> None:
        for session_id, found in list(self._sessions.items()):
            if now - found.last_seen > self.idle_s or now - found.started > self.limit_s:
                del self._sessions[session_id]
