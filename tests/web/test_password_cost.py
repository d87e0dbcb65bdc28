"""The real password hasher, at the cost the app runs with (the other web tests use a
cheap one to log in quickly)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher, Type, extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY

from web import passwords


@pytest.fixture
def quick_hashing() -> None:
    """Overrides the web tests' cheap hasher: this module checks the real one."""


def test_passwords_are_hashed_with_argon2id_at_full_cost() -> None:
    stored = passwords.hash_password("correct horse battery")
    used = extract_parameters(stored)
    assert used.type is Type.ID
    assert used.time_cost >= RFC_9106_LOW_MEMORY.time_cost
    assert used.memory_cost >= RFC_9106_LOW_MEMORY.memory_cost
    assert passwords.verify_password(stored, "correct horse battery")
    assert not passwords.verify_password(stored, "correct horse batterY")
    assert not passwords.verify_password(None, "correct horse battery")
    assert not passwords.needs_rehash(stored)
    # A hash made cheaper (an older setting, say) is upgraded at the next log-in.
    cheap = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1).hash("x" * 12)
    assert passwords.needs_rehash(cheap)
