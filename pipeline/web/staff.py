"""Who may use the web app: the staff password and the API tokens, kept only as hashes.

The staff file (``handout-staff.json`` beside ``handout.toml`` unless set
otherwise) holds the password's scrypt hash and a SHA-256 hash of each API
token; neither can be read back. ``handout password`` and ``handout token``
write it; the server only reads it.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ArticleError

STAFF_FILE = "handout-staff.json"
MIN_PASSWORD_LENGTH = 10
# Failed sign-ins allowed from one address before it must wait.
SIGN_IN_ATTEMPTS = 5
SIGN_IN_WAIT_S = 60.0


@dataclass
class Staff:
    """The staff password's hash and the API tokens' hashes, by name."""

    path: Path
    password_hash: str | None = None
    tokens: dict[str, str] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> Staff:
        if not path.exists():
            return cls(path)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise ArticleError(path, f"the staff file cannot be read ({error})",
                               "set the password again with 'handout password'") from None
        if not isinstance(data, dict):
            raise ArticleError(path, "the staff file is not what 'handout password' writes",
                               "set the password again with 'handout password'")
        tokens = data.get("tokens") or {}
        return cls(path, data.get("password"), {str(k): str(v) for k, v in tokens.items()})

    def save(self) -> None:
        data = {"password": self.password_hash, "tokens": self.tokens}
        temp = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(data, file, indent=2)
        os.replace(temp, self.path)

    @property
    def has_password(self) -> bool:
        return bool(self.password_hash)

    def set_password(self, password: str) -> None:
        if len(password) < MIN_PASSWORD_LENGTH:
            raise ValueError(f"use at least {MIN_PASSWORD_LENGTH} characters")
        self.password_hash = generate_password_hash(password, method="scrypt")

    def password_matches(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash or "", password)

    def new_token(self, name: str) -> str:
        """A new API token called ``name``; only its hash is kept, so it is shown this once."""
        token = secrets.token_urlsafe(32)
        self.tokens[name] = _token_hash(token)
        return token

    def token_name(self, token: str) -> str | None:
        """The name of the API token given, or None when it is no token of ours."""
        digest = _token_hash(token)
        for name, known in self.tokens.items():
            if hmac.compare_digest(known, digest):
                return name
        return None


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class SignInThrottle:
    """Slows down guessing: after a few wrong passwords from one address, it must wait a minute."""

    def __init__(self, attempts: int = SIGN_IN_ATTEMPTS, wait_s: float = SIGN_IN_WAIT_S):
        self.attempts, self.wait_s = attempts, wait_s
        self.failures: dict[str, list[float]] = {}
        self.lock = threading.Lock()

    def wait_for(self, address: str) -> float:
        """Seconds ``address`` must still wait before it may try again (0 when it may)."""
        with self.lock:
            recent = [t for t in self.failures.get(address, []) if time.monotonic() - t < self.wait_s]
            self.failures[address] = recent
            if len(recent) < self.attempts:
                return 0.0
            return self.wait_s - (time.monotonic() - recent[0])

    def failed(self, address: str) -> None:
        with self.lock:
            self.failures.setdefault(address, []).append(time.monotonic())

    def succeeded(self, address: str) -> None:
        with self.lock:
            self.failures.pop(address, None)
