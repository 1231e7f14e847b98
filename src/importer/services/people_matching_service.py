"""Matching the people an imported board names to InternHub users.

Order: the import's `member_map` (source key or username → InternHub username), the
username (an active account, or a placeholder of an earlier import), the full name
(ignoring case; only when exactly one active account has it), a placeholder made for
the same person by an earlier import; whoever matches nobody gets a new placeholder
(a user who cannot sign in and can later be merged into a real account).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from ...user.user_schema import PlaceholderSpec
from ...user.user_service import user_service
from ..constants import ImportSource
from ..exceptions import InvalidImportOptionError
from ..schemas.people_schema import MatchedBy, PersonMatch, PersonRef


@dataclass(frozen=True, slots=True)
class PeopleMatched:
    user_ids: dict[str, int]  # person key → user id
    # One entry per person for the import's report: who they were, whom they became.
    report: list[dict[str, Any]]


class PeopleMatchingService:
    async def match(
        self,
        session: AsyncSession,
        people: Sequence[PersonRef],
        *,
        source: ImportSource,
        member_map: Mapping[str, str],
        placeholders: bool = True,
    ) -> PeopleMatched:
        """Without `placeholders`, whoever matches nobody is left out (and reported as
        keeping their name)."""
        matches = await self._mapped(session, people, member_map)
        rest = [p for p in people if p.key not in matches]
        if rest:
            matches |= await self._found(session, rest, source, placeholders=placeholders)
        report = [
            {
                "key": ref.key,
                "username": ref.username,
                "full_name": ref.full_name,
                "user_id": matches[ref.key].user_id if ref.key in matches else None,
                "matched_by": matches[ref.key].matched_by if ref.key in matches else "kept_name",
            }
            for ref in people
        ]
        return PeopleMatched({key: m.user_id for key, m in matches.items()}, report)

    async def _mapped(
        self, session: AsyncSession, people: Sequence[PersonRef], member_map: Mapping[str, str]
    ) -> dict[str, PersonMatch]:
        mapping = {k.lower(): v for k, v in member_map.items()}
        matches: dict[str, PersonMatch] = {}
        for person in people:
            wanted = mapping.get(person.key.lower()) or (
                mapping.get(person.username.lower()) if person.username else None
            )
            if wanted is None:
                continue
            user = await user_service.find_by_username(session, wanted)
            if user is None or user.is_placeholder or not user.is_active:
                raise InvalidImportOptionError(
                    f"member_map names {wanted!r}, which is no active user.", field="member_map"
                )
            matches[person.key] = PersonMatch(user_id=user.id, matched_by="mapping")
        return matches

    async def _found(
        self,
        session: AsyncSession,
        people: Sequence[PersonRef],
        source: ImportSource,
        *,
        placeholders: bool,
    ) -> dict[str, PersonMatch]:
        specs = {
            p.key: PlaceholderSpec(
                source=source.value, key=p.key, username=p.username, full_name=p.full_name
            )
            for p in people
        }
        known = await _Known.look_up(session, people, specs)
        matches: dict[str, PersonMatch] = {}
        for person in people:
            match = known.match(person, specs[person.key])
            if match is not None:
                matches[person.key] = match
        missing = [specs[p.key] for p in people if p.key not in matches]
        if placeholders and missing:
            made = await user_service.ensure_placeholders(session, missing)
            for key, user in made.items():
                how: MatchedBy = "new_placeholder" if user.created else "placeholder"
                matches[key] = PersonMatch(user_id=user.user_id, matched_by=how)
        return matches


class _Account(Protocol):
    """What matching reads of a user (the user context's model, not imported here)."""

    id: int
    username: str
    full_name: str
    is_active: bool
    is_placeholder: bool
    merged_into_id: int | None
    external_id: str | None


@dataclass(frozen=True, slots=True)
class _Known:
    """The accounts that may match the people of one import, looked up at once."""

    by_username: dict[str, _Account]
    by_full_name: dict[str, list[int]]  # active real accounts only
    earlier: dict[str | None, _Account]  # placeholders of earlier imports, by external id

    @classmethod
    async def look_up(
        cls,
        session: AsyncSession,
        people: Sequence[PersonRef],
        specs: dict[str, PlaceholderSpec],
    ) -> "_Known":
        external_ids = [spec.external_id for spec in specs.values()]
        earlier = await user_service.find_by_external_ids(session, external_ids)
        accounts = await user_service.find_people(
            session, [p.username for p in people if p.username], [p.full_name for p in people]
        )
        by_full_name: dict[str, list[int]] = {}
        for account in accounts:
            if account.is_active and not account.is_placeholder:
                by_full_name.setdefault(account.full_name.lower(), []).append(account.id)
        return cls(
            by_username={u.username.lower(): u for u in accounts},
            by_full_name=by_full_name,
            earlier={u.external_id: u for u in earlier},
        )

    def match(self, person: PersonRef, spec: PlaceholderSpec) -> PersonMatch | None:
        found = self.by_username.get(person.username.lower()) if person.username else None
        if found is not None:
            how: MatchedBy = "placeholder" if found.is_placeholder else "username"
            return PersonMatch(user_id=found.merged_into_id or found.id, matched_by=how)
        named = self.by_full_name.get(person.full_name.lower(), []) if person.full_name else []
        if len(named) == 1:
            return PersonMatch(user_id=named[0], matched_by="full_name")
        placeholder = self.earlier.get(spec.external_id)
        if placeholder is not None:
            target = placeholder.merged_into_id or placeholder.id
            return PersonMatch(user_id=target, matched_by="placeholder")
        return None


people_matching_service = PeopleMatchingService()
