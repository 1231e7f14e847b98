"""Password hashing: Argon2id with OWASP parameters, computed off the event loop."""

from functools import lru_cache

import anyio
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

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


async def hash_password(password: str) -> str:
    """The Argon2id hash of `password` (runs in a worker thread)."""
    return await anyio.to_thread.run_sync(password_hash().hash, password)


async def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Whether `password` matches; the second item is a new hash when the parameters changed."""
    return await anyio.to_thread.run_sync(password_hash().verify_and_update, password, hashed)
