"""Outgoing e-mail through the configured SMTP server (aiosmtplib)."""

import logging
from email.message import EmailMessage

import aiosmtplib

from ..config.project_config import SmtpSettings

logger = logging.getLogger(__name__)


async def send_mail(settings: SmtpSettings, *, to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; False (and a warning, without the body) when it fails.

    Bodies carry one-time links, so they are never logged.
    """
    if not settings.enabled:
        return False
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    try:
        await aiosmtplib.send(
            message,
            hostname=settings.host,
            port=settings.port,
            username=settings.username,
            password=settings.password.get_secret_value() if settings.password else None,
            start_tls=settings.starttls,
            use_tls=settings.ssl,
            timeout=settings.timeout_seconds,
        )
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as exc:
        logger.warning("could not send e-mail %r to %s: %s", subject, to, type(exc).__name__)
        return False
    return True
