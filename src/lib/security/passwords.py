"""Password hashing (Argon2id with OWASP parameters, computed off the event loop) and
the password policy (zxcvbn strength, with the account's own names counted as guessable)."""

import asyncio
import os
import re
import threading
import weakref
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import anyio
from anyascii import anyascii
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


# zxcvbn's score runs 0-4; 3 is "safely unguessable: moderate protection from an
# offline slow-hash scenario" (its documentation), which Argon2id storage is.
MIN_PASSWORD_SCORE = 3
# The longest password the schemas accept; zxcvbn refuses longer ones by default (72).
MAX_PASSWORD_LENGTH = 128

# zxcvbn keeps the user inputs of the current call in a module-level dictionary, so two
# calls at once would see each other's names: one at a time. A long password takes a
# few hundred milliseconds of CPU, so the call runs in a worker thread.
_zxcvbn_lock = threading.Lock()
_WORD_SEPARATORS = re.compile(r"[\W_]+")


class WeakPasswordError(UnprocessableError):
    code = "weak_password"
    title = "Password too weak"


def password_user_inputs(*, username: str, email: str = "", full_name: str = "") -> list[str]:
    """What an attacker who knows the account would try first: the username, the e-mail
    and the full name, whole and word by word (`i.petrov` → `i.petrov`, `petrov`), and
    in Latin letters too («Иван Петров» → `ivan`, `petrov`)."""
    inputs: list[str] = []
    for given in (username, email, email.partition("@")[0], full_name):
        for value in dict.fromkeys((given.strip().lower(), anyascii(given).strip().lower())):
            if not value:
                continue
            inputs.append(value)
            inputs.extend(word for word in _WORD_SEPARATORS.split(value) if len(word) >= 3)
    return list(dict.fromkeys(inputs))


def _strength(password: str, user_inputs: Sequence[str]) -> dict[str, Any]:
    from zxcvbn import zxcvbn  # its dictionaries take a while to load: on first use

    with _zxcvbn_lock:
        result: dict[str, Any] = zxcvbn(
            password, user_inputs=list(user_inputs), max_length=MAX_PASSWORD_LENGTH
        )
    return result


async def check_password_policy(
    password: str, *, user_inputs: Sequence[str] = (), field: str = "password"
) -> None:
    """Refuse short passwords, well-known ones, and any that zxcvbn scores below
    `MIN_PASSWORD_SCORE` when the account's names (`user_inputs`, see
    `password_user_inputs`) count as known words."""
    if len(password) < 8:
        raise WeakPasswordError("The password must be at least 8 characters long.", field=field)
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPasswordError(
            f"The password must be at most {MAX_PASSWORD_LENGTH} characters long.",
            field=field,
        )
    lowered = password.lower()
    if lowered in _common_passwords():
        raise WeakPasswordError(
            "This password is on the list of commonly used passwords.", field=field
        )
    if any(lowered == value for value in user_inputs):
        raise WeakPasswordError(
            "The password must differ from the username, e-mail and name.", field=field
        )
    result = await anyio.to_thread.run_sync(_strength, password, user_inputs)
    score = int(result["score"])
    if score >= MIN_PASSWORD_SCORE:
        return
    feedback = result.get("feedback") or {}
    warning = str(feedback.get("warning") or "")
    suggestions = [str(s) for s in feedback.get("suggestions") or []]
    reasons = " ".join(part for part in [warning, *suggestions] if part)
    detail = (
        f"The password is too easy to guess (strength {score} of 4, at least "
        f"{MIN_PASSWORD_SCORE} is required)."
    )
    if reasons:
        detail += " " + reasons
    raise WeakPasswordError(
        detail,
        field=field,
        extra={
            "score": score,
            "min_score": MIN_PASSWORD_SCORE,
            "warning": warning,
            "suggestions": suggestions,
        },
    )
