"""Password hashing: Argon2id with OWASP parameters, computed off the event loop."""

import asyncio
import os
import weakref
from functools import lru_cache

import anyio
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

from ..errors import UnprocessableError

# OWASP Password Storage Cheat Sheet: Argon2id, m=19 MiB, t=2, p=1.
ARGON2_MEMORY_KIB = 19 * 1024
ARGON2_TIME_COST = 2
ARGON2_PARALLELISM = 1


@lru_cache
def password_hash() -> PasswordHash:
    return PasswordHash(
        (
            Argon2Hasher(
                time_cost=ARGON2_TIME_COST,
                memory_cost=ARGON2_MEMORY_KIB,
                parallelism=ARGON2_PARALLELISM,
            ),
        )
    )


_slots: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, anyio.CapacityLimiter]" = (
    weakref.WeakKeyDictionary()
)


def _hashing_slots() -> anyio.CapacityLimiter:
    # Each hash holds 19 MiB and a core: more at once than cores only costs memory.
    # One limiter per event loop (the CLI runs several loops in one process).
    loop = asyncio.get_running_loop()
    limiter = _slots.get(loop)
    if limiter is None:
        limiter = _slots[loop] = anyio.CapacityLimiter(max(1, os.cpu_count() or 1))
    return limiter


async def hash_password(password: str) -> str:
    """The Argon2id hash of `password` (in a worker thread, a few at a time)."""
    return await anyio.to_thread.run_sync(password_hash().hash, password, limiter=_hashing_slots())


async def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether `password` matches; the second item is a new hash when the parameters changed."""
    return await anyio.to_thread.run_sync(
        password_hash().verify_and_update, password, hashed, limiter=_hashing_slots()
    )


# Patterns Russian users type that the English-centric lists miss.
_EXTRA_COMMON = {
    "йцукенгш",
    "йцукенгшщз",
    "йцукен123",
    "пароль123",
    "парольпароль",
    "qwertyuiop",
    "1q2w3e4r",
    "1q2w3e4r5t",
    "zaq12wsx",
    "xswzaq12",
    "q1w2e3r4",
    "12345qwert",
    "qwerty123",
    "qwerty1234",
    "password1",
    "password123",
    "internhub",
    "internhub123",
    "stazhirovka",
    "стажировка",
    "стажер123",
    "стажёр123",
    "admin123",
    "administrator",
}


@lru_cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(p.lower() for p in FREQUENCY_LISTS["passwords"]) | _EXTRA_COMMON


class WeakPasswordError(UnprocessableError):
    code = "weak_password"
    title = "Password too weak"


def check_password_policy(password: str, *, username: str | None = None) -> None:
    """Refuse short passwords, well-known ones and the username itself."""
    if len(password) < 8:
        raise WeakPasswordError(
            "The password must be at least 8 characters long.", field="password"
        )
    lowered = password.lower()
    if lowered in _common_passwords():
        raise WeakPasswordError(
            "This password is on the list of commonly used passwords.", field="password"
        )
    if username and lowered == username.lower():
        raise WeakPasswordError("The password must differ from the username.", field="password")
