"""Placeholders made for imported people get ASCII usernames, as every username."""

import re

from sqlalchemy.ext.asyncio import AsyncSession

from src.user.user_schema import USERNAME_PATTERN, PlaceholderSpec
from src.user.user_service import user_service


async def test_placeholder_of_a_cyrillic_name_gets_a_transliterated_username(
    session: AsyncSession,
) -> None:
    people = [
        PlaceholderSpec(source="trello", key="m1", full_name="Иван Петров"),
        PlaceholderSpec(source="trello", key="m2", username="ёжик", full_name="Ёжик в тумане"),
        PlaceholderSpec(source="trello", key="m3", full_name="王小明"),
        PlaceholderSpec(source="trello", key="m4", full_name="i.petr\u043ev"),
    ]
    made = await user_service.ensure_placeholders(session, people)
    names = {
        key: (await user_service.names(session, [found.user_id]))[found.user_id][0]
        for key, found in made.items()
    }
    assert names == {
        "m1": "Ivan.Petrov.trello",
        "m2": "ezhik.trello",
        "m3": "WangXiaoMing.trello",
        "m4": "i.petrov.trello",
    }
    assert all(re.fullmatch(USERNAME_PATTERN, name) for name in names.values())
