"""Small async factories: add, flush, return. Passwords are hashed once per run."""

import itertools
from functools import lru_cache

from sqlalchemy.ext.asyncio import AsyncSession

from src.lib.security.passwords import password_hash
from src.user.user_model import User

DEFAULT_PASSWORD = "correct-horse-battery"
_counter = itertools.count(1)


@lru_cache
def default_password_hash() -> str:
    return password_hash().hash(DEFAULT_PASSWORD)


async def create_user(
    session: AsyncSession,
    *,
    username: str | None = None,
    email: str | None = None,
    full_name: str = "Тестовый Пользователь",
    is_admin: bool = False,
    is_active: bool = True,
) -> User:
    n = next(_counter)
    username = username or f"user{n}"
    user = User(
        username=username,
        email=email or f"{username}@example.com".lower(),
        full_name=full_name,
        hashed_password=default_password_hash(),
        is_admin=is_admin,
        is_active=is_active,
    )
    session.add(user)
    await session.flush()
    return user
