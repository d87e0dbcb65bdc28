"""Password hashing with Argon2id (argon2-cffi's current defaults)."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 10

_hasher = PasswordHasher()
# Verified against when the account does not exist, so that the answer takes as long.
_DUMMY_HASH = _hasher.hash("callradar-no-such-account")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def fingerprint(password_hash: str | None) -> str:
    """A short digest of the stored hash: links and sessions carry it, so that setting a new
    password voids every older reset link, invitation and session at once."""
    return hashlib.sha256((password_hash or "-").encode()).hexdigest()[:20]
