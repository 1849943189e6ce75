"""Who may use the web app: the staff password and the API tokens, kept only as hashes.

The staff file (``handout-staff.json`` beside ``handout.toml`` unless set
otherwise) holds the password's scrypt hash and a SHA-256 hash of each API
token; neither can be read back. ``handout password`` and ``handout token``
write it; the server only reads it, again whenever it changes.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from dataclasses import dataclass, field
from pathlib import Path

from werkzeug.security import check_password_hash, generate_password_hash

from ..errors import ArticleError

log = logging.getLogger(__name__)

STAFF_FILE = "handout-staff.json"
# The password hash of a staff file that cannot be trusted: it matches no password.
LOCKED = "!locked"
MIN_PASSWORD_LENGTH = 10


@dataclass
class Staff:
    """The staff password's hash and the API tokens' hashes, by name."""

    path: Path
    password_hash: str | None = None
    tokens: dict[str, str] = field(default_factory=dict)
    # Raised by 'handout password --sign-out-everyone': every session signed in before it ends.
    generation: int = 0

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
        generation = data.get("generation", 0)
        return cls(path, data.get("password"), {str(k): str(v) for k, v in tokens.items()},
                   generation if isinstance(generation, int) else 0)

    def save(self) -> None:
        data = {"password": self.password_hash, "tokens": self.tokens, "generation": self.generation}
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
        if not self.password_hash or self.password_hash == LOCKED:
            return False
        return check_password_hash(self.password_hash, password)

    @property
    def password_key(self) -> str:
        """A short fingerprint of the password's hash and the generation, kept in each session signed in with them.

        A new password or a new generation changes it, and so ends every session signed in before.
        """
        return hashlib.sha256(f"{self.password_hash or ''}\n{self.generation}".encode()).hexdigest()[:16]

    def sign_out_everyone(self) -> None:
        """End every staff session, in a running app too, from its next request."""
        self.generation += 1

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


class StaffFile:
    """The staff file as it is now: read again as soon as it changes, so a revoked token or a new password
    counts from the next request, without a restart.

    Each request looks at the file's modification time, size and inode; when
    one differs, the file is read and its SHA-256 compared with the last one
    read. A file that disappears, cannot be read or loses its password while
    the app had one locks everyone out (no password or token matches) until
    it is put right: a password is never dropped by accident.
    """

    def __init__(self, path: Path):
        self.path = path
        self.lock = threading.Lock()
        self._stamp: tuple[int, int, int] | None = self._stat()
        self._digest = self._hash()
        self._staff = Staff.load(path)

    def current(self) -> Staff:
        stamp = self._stat()
        if stamp == self._stamp:
            return self._staff
        with self.lock:
            digest = self._hash()
            if digest != self._digest:
                self._staff = self._read_again()
                self._digest = digest
            self._stamp = stamp
            return self._staff

    def _read_again(self) -> Staff:
        try:
            staff = Staff.load(self.path)
        except ArticleError as error:
            log.error("%s; everyone is refused until it is set again", error)
            return Staff(self.path, LOCKED)
        if self._staff.has_password and not staff.has_password:
            log.error("%s: the staff file lost its password; everyone is refused until one is set with "
                      "'handout password'", self.path)
            return Staff(self.path, LOCKED)
        log.warning("%s changed: the staff password and API tokens in it count from now on", self.path)
        return staff

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            stat = self.path.stat()
        except OSError:
            return None
        return stat.st_mtime_ns, stat.st_size, stat.st_ino

    def _hash(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None
