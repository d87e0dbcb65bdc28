"""Signed, expiring, single-use links for invitations and password resets.

A token carries the user's id and the fingerprint of the password hash at the time it was
made; once a password is set the fingerprint changes, so the token cannot be used again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from itsdangerous import BadSignature, URLSafeTimedSerializer

from callradar.models import User
from web.passwords import fingerprint


class Purpose(StrEnum):
    INVITE = "invite"
    RESET = "reset"


LIFETIME: dict[Purpose, timedelta] = {
    Purpose.INVITE: timedelta(days=7),
    Purpose.RESET: timedelta(hours=1),
}


@dataclass(frozen=True, slots=True)
class LinkTokens:
    secret_key: str

    def _serializer(self, purpose: Purpose) -> URLSafeTimedSerializer:
        # A salt per purpose: a reset token is never accepted as an invitation, nor back.
        return URLSafeTimedSerializer(self.secret_key, salt=f"callradar-{purpose}")

    def make(self, user: User, purpose: Purpose) -> str:
        return self._serializer(purpose).dumps({"u": user.id, "f": fingerprint(user.password_hash)})

    def user_id(self, token: str, purpose: Purpose) -> tuple[int, str] | None:
        """The (user id, fingerprint) the token was made for, if it is genuine and fresh."""
        try:
            data = self._serializer(purpose).loads(
                token, max_age=int(LIFETIME[purpose].total_seconds())
            )
        except BadSignature:
            return None
        if not isinstance(data, dict) or not isinstance(data.get("u"), int):
            return None
        return data["u"], str(data.get("f"))

    def check(self, user: User | None, token: str, purpose: Purpose) -> bool:
        """Whether the token is genuine, fresh, for this user, and not used yet."""
        found = self.user_id(token, purpose)
        return (
            user is not None
            and user.active
            and found is not None
            and found == (user.id, fingerprint(user.password_hash))
        )
