"""Bulk onboarding: participants from a CSV file the way Russian Excel writes one.

Accepted: UTF-8 with or without BOM, or Windows-1251; `;`, `,` or tab as separator;
headers in Russian or English (email, full name, role, team). A dry run reports what
each row would do and writes nothing; the real run is all-or-nothing.
"""

import codecs
import csv
import io
from collections import Counter
from dataclasses import dataclass, field

from pydantic import EmailStr, TypeAdapter, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from ...auth.constants import InvitationRole
from ...auth.schemas.invitation_schema import InvitationCreate
from ...auth.services.invitation_service import invitation_service
from ...lib.errors import UnprocessableError
from ...lib.security.actor import Actor
from ...user.user_service import user_service
from ..constants import InternshipStatus, ParticipantRole, TeamRole
from ..exceptions import CsvImportError, InternshipArchivedError, InternshipPermissionError
from ..models.team_model import Team
from ..repositories.participant_repository import ParticipantRepository
from ..repositories.team_repository import TeamMemberRepository, TeamRepository
from ..schemas.internship_schema import ImportAction, ImportReport, ImportRowReport
from ..schemas.team_schema import TeamMemberAdd
from .internship_service import internship_service
from .team_service import team_service

MAX_CSV_BYTES = 1_000_000
MAX_ROWS = 5_000

_HEADERS = {
    "email": {
        "email",
        "e-mail",
        "e_mail",
        "mail",
        "почта",
        "эл. почта",
        "эл.почта",
        "электронная почта",
        "адрес электронной почты",
        "e-mail адрес",
        "емейл",
        "имейл",
    },
    "full_name": {
        "full name",
        "full_name",
        "fullname",
        "name",
        "фио",
        "ф.и.о.",
        "ф. и. о.",
        "ф.и.о",
        "имя",
        "полное имя",
        "фамилия имя отчество",
        "фамилия имя",
    },
    "role": {"role", "роль"},
    "team": {"team", "команда", "группа"},
}
_ROLES = {
    "intern": ParticipantRole.INTERN,
    "стажер": ParticipantRole.INTERN,
    "стажерка": ParticipantRole.INTERN,
    "практикант": ParticipantRole.INTERN,
    "mentor": ParticipantRole.MENTOR,
    "ментор": ParticipantRole.MENTOR,
    "наставник": ParticipantRole.MENTOR,
    "куратор": ParticipantRole.MENTOR,
    "observer": ParticipantRole.OBSERVER,
    "наблюдатель": ParticipantRole.OBSERVER,
    "hr": ParticipantRole.OBSERVER,
}
_EMAIL = TypeAdapter(EmailStr)


def _norm(value: str) -> str:
    return " ".join(value.replace("ё", "е").replace("Ё", "Е").strip().lower().split())


@dataclass
class _Row:
    line: int
    email: str
    full_name: str
    role_text: str
    team: str
    role: ParticipantRole | None = None
    error: str | None = None
    action: ImportAction = "error"
    detail: str = ""
    user_id: int | None = None
    apply: list[str] = field(default_factory=list)


def decode_csv(content: bytes) -> str:
    """Bytes to text: UTF-8 (BOM or not), else Windows-1251."""
    if len(content) > MAX_CSV_BYTES:
        raise CsvImportError(f"The file is larger than {MAX_CSV_BYTES} bytes.")
    encodings: tuple[str, ...] = ("utf-8", "cp1251")
    if content.startswith(codecs.BOM_UTF8):
        content = content[len(codecs.BOM_UTF8) :]
        encodings = ("utf-8",)
    for encoding in encodings:
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise CsvImportError("The file is neither UTF-8 nor Windows-1251 text.")
    if "\x00" in text:
        raise CsvImportError("The file is not a text (CSV) file.")
    if not text.strip():
        raise CsvImportError("The file is empty.")
    return text


def parse_rows(text: str) -> list[_Row]:
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    delimiter = max((";", ",", "\t"), key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    rows: list[_Row] = []
    try:
        for record in reader:
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [_norm(cell) for cell in record]
                for key, names in _HEADERS.items():
                    for index, name in enumerate(header):
                        if name in names:
                            columns[key] = index
                            break
                missing = [k for k in ("email", "full_name", "role") if k not in columns]
                if missing:
                    raise CsvImportError(
                        "Not a participants file: the header lacks "
                        + ", ".join(missing)
                        + " (expected columns: email, full name, role, team).",
                        extra={"missing_columns": missing},
                    )
                continue

            def cell(key: str, values: list[str] = record) -> str:
                index = columns.get(key)
                return values[index].strip() if index is not None and index < len(values) else ""

            rows.append(
                _Row(
                    line=reader.line_num,
                    email=cell("email"),
                    full_name=cell("full_name"),
                    role_text=cell("role"),
                    team=cell("team"),
                )
            )
            if len(rows) > MAX_ROWS:
                raise CsvImportError(f"At most {MAX_ROWS} rows per file.")
    except csv.Error as exc:
        raise CsvImportError(f"The file is not valid CSV: {exc}.") from None
    if header is None:
        raise CsvImportError("The file is empty.")
    if not rows:
        raise CsvImportError("The file has a header but no participants.")
    return rows


class ImportService:
    async def import_csv(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        content: bytes,
        *,
        dry_run: bool,
    ) -> ImportReport:
        internship, access = await internship_service.access(session, actor, internship_id)
        if not access.can_manage:
            raise InternshipPermissionError("Only organisers import participants.")
        if internship.status == InternshipStatus.ARCHIVED:
            raise InternshipArchivedError
        rows = parse_rows(decode_csv(content))
        teams = {
            _norm(team.name): team
            for team in await TeamRepository(session).get_multi(
                internship_id, only_ids=None, include_archived=False
            )
        }
        teams_to_create = await self._plan(session, internship_id, rows, teams)
        report = self._report(rows, teams_to_create, dry_run=dry_run, applied=False)
        if dry_run:
            return report
        if any(r.action == "error" for r in rows):
            raise UnprocessableError(
                "Some rows are wrong; nothing was imported. Fix them and try again.",
                extra={"report": report.model_dump(mode="json")},
            )
        return await self._apply(session, actor, internship_id, rows, teams_to_create, teams)

    async def _plan(
        self, session: AsyncSession, internship_id: int, rows: list[_Row], teams: dict[str, Team]
    ) -> list[str]:
        """Decide each row's action. Team names match ignoring case, spaces and ё/е."""
        seen: dict[str, int] = {}
        members = TeamMemberRepository(session)
        participants = ParticipantRepository(session)
        new_teams: dict[str, str] = {}
        for row in rows:
            row.action, row.detail = "error", ""
            if not row.email:
                row.detail = "The e-mail is empty."
                continue
            try:
                row.email = _EMAIL.validate_python(row.email).lower()
            except ValidationError:
                row.detail = f"«{row.email}» is not a valid e-mail address."
                continue
            if row.email in seen:
                row.detail = f"Duplicate of line {seen[row.email]}."
                continue
            seen[row.email] = row.line
            row.role = _ROLES.get(_norm(row.role_text))
            if row.role is None:
                row.detail = (
                    f"Unknown role «{row.role_text}»: expected intern/стажёр, "
                    "mentor/ментор or observer/наблюдатель."
                )
                continue
            if row.team and row.role is ParticipantRole.OBSERVER:
                row.detail = "Observers do not join teams."
                continue
            if len(row.team) > 120 or len(row.full_name) > 200:
                row.detail = "The name or team is too long."
                continue
            team: Team | None = None
            if row.team:
                team = teams.get(_norm(row.team))
                if team is None:
                    new_teams.setdefault(_norm(row.team), row.team)
            user = await user_service.find_by_email(session, row.email)
            if user is None:
                if await invitation_service.has_pending(session, row.email, internship_id):
                    row.action, row.detail = "already_there", "Already invited."
                    continue
                row.action = "invite"
                row.detail = "An invitation will be created."
                continue
            row.user_id = user.id
            participant = await participants.get(internship_id, user.id)
            if participant is None or participant.archived_at is not None:
                row.action = "add_participant"
                row.detail = "The existing user will be added."
                continue
            if participant.role != row.role.value:
                row.detail = f"Already takes part as {participant.role}."
                continue
            if row.role is ParticipantRole.INTERN and row.team:
                current = await members.get_live_team_of_intern(internship_id, user.id)
                if current is not None and (team is None or current != team.id):
                    row.detail = "Already in another team of this internship."
                    continue
                if current is None:
                    row.action, row.detail = "update", "Will join the team."
                    continue
            if (
                row.role is ParticipantRole.MENTOR
                and row.team
                and (team is None or await members.get_live_role(team.id, user.id) is None)
            ):
                row.action, row.detail = "update", "Will mentor the team."
                continue
            row.action, row.detail = "already_there", "Already a participant."
        return sorted(new_teams.values(), key=str.lower)

    async def _apply(
        self,
        session: AsyncSession,
        actor: Actor,
        internship_id: int,
        rows: list[_Row],
        teams_to_create: list[str],
        teams: dict[str, Team],
    ) -> ImportReport:
        teams_repo = TeamRepository(session)
        for name in teams_to_create:
            teams[_norm(name)] = await teams_repo.add(
                Team(internship_id=internship_id, name=name, description="")
            )
        accept_urls: dict[int, tuple[int, str]] = {}
        for row in rows:
            team = teams.get(_norm(row.team)) if row.team else None
            if row.action == "invite":
                assert row.role is not None
                issued = await invitation_service.invite(
                    session,
                    actor,
                    InvitationCreate(
                        email=row.email,
                        role=InvitationRole(row.role.value),
                        internship_id=internship_id,
                        team_id=team.id if team else None,
                        full_name=row.full_name or None,
                    ),
                    rate_limited=False,
                )
                accept_urls[row.line] = (issued.id, issued.accept_url)
            elif row.action in {"add_participant", "update"}:
                assert row.role is not None
                assert row.user_id is not None
                if row.action == "add_participant":
                    await internship_service.enrol(session, internship_id, row.user_id, row.role)
                if team is not None:
                    role = (
                        TeamRole.MENTOR if row.role is ParticipantRole.MENTOR else TeamRole.MEMBER
                    )
                    await team_service.add_member(
                        session, actor, team.id, TeamMemberAdd(user_id=row.user_id, role=role)
                    )
        report = self._report(rows, teams_to_create, dry_run=False, applied=True)
        for item in report.rows:
            if item.row in accept_urls:
                item.invitation_id, item.accept_url = accept_urls[item.row]
        return report

    @staticmethod
    def _report(
        rows: list[_Row], teams_to_create: list[str], *, dry_run: bool, applied: bool
    ) -> ImportReport:
        counts = Counter(r.action for r in rows)
        return ImportReport(
            dry_run=dry_run,
            applied=applied,
            teams_to_create=teams_to_create,
            summary={
                "rows": len(rows),
                **{a: counts.get(a, 0) for a in ("invite", "add_participant", "update")},
                "already_there": counts.get("already_there", 0),
                "error": counts.get("error", 0),
            },
            rows=[
                ImportRowReport(
                    row=r.line,
                    email=r.email,
                    full_name=r.full_name,
                    role=r.role.value if r.role else r.role_text,
                    team=r.team,
                    action=r.action,
                    detail=r.detail,
                    user_id=r.user_id,
                )
                for r in rows
            ],
        )


import_service = ImportService()
