"""One-time links by e-mail, through a real SMTP server (aiosmtpd) on a local port."""

import email
import email.policy
import logging
import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

import httpx
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy.ext.asyncio import AsyncSession

from src.auth.models.invitation_model import Invitation
from src.auth.models.password_reset_model import PasswordReset
from src.config.project_config import get_settings
from src.user.user_model import User

INVITATIONS = "/api/v1/auth/invitations"
RESETS = "/api/v1/auth/password-resets"

# Loggers of the test's own tools, not of the application: the SMTP server logs every
# line of DATA at DEBUG, and httpx logs the URLs the test requests.
_TEST_TOOL_LOGGERS = ("mail.", "httpx", "httpcore")


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage


@dataclass
class CollectingHandler:
    """aiosmtpd handler that keeps every message it receives."""

    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(  # noqa: N802 - the name aiosmtpd calls
        self, server: SMTP, session: Session, envelope: Envelope
    ) -> str:
        content = envelope.original_content or envelope.content
        assert isinstance(content, bytes)
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(
            Received(
                mail_from=str(envelope.mail_from),
                rcpt_tos=list(envelope.rcpt_tos),
                message=message,
            )
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server(monkeypatch: pytest.MonkeyPatch) -> Iterator[CollectingHandler]:
    """A real SMTP server on 127.0.0.1; the process settings send through it."""
    handler = CollectingHandler()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    smtp = get_settings().smtp
    monkeypatch.setattr(smtp, "host", "127.0.0.1")
    monkeypatch.setattr(smtp, "port", controller.port)
    monkeypatch.setattr(smtp, "timeout_seconds", 5.0)
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def dead_smtp_server(monkeypatch: pytest.MonkeyPatch) -> int:
    """SMTP settings pointing at a local port nobody listens on."""
    port = free_port()
    smtp = get_settings().smtp
    monkeypatch.setattr(smtp, "host", "127.0.0.1")
    monkeypatch.setattr(smtp, "port", port)
    monkeypatch.setattr(smtp, "timeout_seconds", 5.0)
    return port


def application_log_text(caplog: pytest.LogCaptureFixture) -> str:
    lines = []
    for record in caplog.records:
        if record.name.startswith(_TEST_TOOL_LOGGERS):
            continue
        lines.append(record.getMessage())
        if record.exc_text:
            lines.append(record.exc_text)
    return "\n".join(lines)


def body_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    content = part.get_content()  # type: ignore[attr-defined]
    assert isinstance(content, str)
    return content


# --- invitations ------------------------------------------------------------------------


async def test_invitation_is_emailed_to_the_invited_address(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    smtp_server: CollectingHandler,
) -> None:
    response = await client.post(
        INVITATIONS,
        headers=admin_headers,
        json={"email": "Anna.Smirnova@example.com", "role": "mentor", "message": "Ждём вас"},
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email_sent"] is True

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == ["anna.smirnova@example.com"]
    message = received.message
    assert parseaddr(str(message["To"]))[1] == "anna.smirnova@example.com"
    assert str(message["Subject"]) == "Приглашение в InternHub"
    assert parseaddr(str(message["From"]))[1] == parseaddr(get_settings().smtp.sender)[1]
    text = body_of(message)
    assert body["accept_url"] in text
    assert body["token"] in text
    assert "ментор" in text
    assert "Ждём вас" in text


async def test_invitation_is_created_when_smtp_is_unreachable(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    dead_smtp_server: int,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    response = await client.post(
        INVITATIONS, headers=admin_headers, json={"email": "anna@example.com", "role": "intern"}
    )
    assert response.status_code == 201
    body = response.json()
    assert body["email_sent"] is False
    invitation = await session.get(Invitation, body["id"])
    assert invitation is not None
    assert invitation.email == "anna@example.com"
    # The organiser can still hand the link over: it works.
    preview = await client.get(f"{INVITATIONS}/{body['token']}")
    assert preview.status_code == 200
    assert preview.json()["status"] == "pending"

    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("anna@example.com" in r.getMessage() for r in warnings)
    assert body["token"] not in application_log_text(caplog)


# --- password resets --------------------------------------------------------------------


async def test_password_reset_is_emailed_to_the_user(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    member: User,
    smtp_server: CollectingHandler,
) -> None:
    response = await client.post(RESETS, headers=admin_headers, json={"user_id": member.id})
    assert response.status_code == 201
    body = response.json()
    assert body["email_sent"] is True

    assert len(smtp_server.messages) == 1
    received = smtp_server.messages[0]
    assert received.rcpt_tos == [member.email]
    message = received.message
    assert parseaddr(str(message["To"]))[1] == member.email
    assert str(message["Subject"]) == "Смена пароля в InternHub"
    text = body_of(message)
    assert body["reset_url"] in text
    assert body["token"] in text


async def test_password_reset_is_issued_when_smtp_is_unreachable(
    client: httpx.AsyncClient,
    session: AsyncSession,
    admin_headers: dict[str, str],
    member: User,
    dead_smtp_server: int,
) -> None:
    response = await client.post(RESETS, headers=admin_headers, json={"user_id": member.id})
    assert response.status_code == 201
    body = response.json()
    assert body["email_sent"] is False
    assert await session.get(PasswordReset, body["id"]) is not None
    completed = await client.post(
        f"{RESETS}/{body['token']}/complete", json={"new_password": "violet-lantern-harbour-42"}
    )
    assert completed.status_code == 204


# --- secrecy ----------------------------------------------------------------------------


async def test_one_time_tokens_never_reach_the_logs(
    client: httpx.AsyncClient,
    admin_headers: dict[str, str],
    member: User,
    smtp_server: CollectingHandler,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    invitation = await client.post(
        INVITATIONS, headers=admin_headers, json={"email": "anna@example.com", "role": "intern"}
    )
    reset = await client.post(RESETS, headers=admin_headers, json={"user_id": member.id})
    assert invitation.status_code == reset.status_code == 201
    invitation_token = invitation.json()["token"]
    reset_token = reset.json()["token"]
    # Use both links as well: their tokens travel in the request path.
    preview = await client.get(f"{INVITATIONS}/{invitation_token}")
    accepted = await client.post(
        f"{INVITATIONS}/{invitation_token}/accept",
        json={"username": "anna", "full_name": "Анна", "password": "violet-lantern-harbour-42"},
    )
    completed = await client.post(
        f"{RESETS}/{reset_token}/complete", json={"new_password": "amber-meadow-compass-17"}
    )
    assert (preview.status_code, accepted.status_code, completed.status_code) == (200, 201, 204)
    assert len(smtp_server.messages) == 2

    # Capture did work at DEBUG (else the check below would prove nothing).
    assert any(r.levelno == logging.DEBUG for r in caplog.records)
    logged = application_log_text(caplog)
    assert invitation_token not in logged
    assert reset_token not in logged
    assert "violet-lantern-harbour-42" not in logged
    assert "amber-meadow-compass-17" not in logged
