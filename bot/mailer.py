"""Plain-text e-mail through the SMTP server of the settings (SMTP_*), off the event loop.

Used for the console's daily digest and the volunteer's "draft approved / returned" notice.
Sending is stdlib smtplib in a worker thread (a slow or dead server never blocks the loop)
with a timeout; one message per recipient, so addresses are not disclosed to each other.
Nothing of the message is logged, only counts and the server's error class.
"""

from __future__ import annotations

import asyncio
import logging
import smtplib
import ssl
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from bot.settings import Settings

log = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20.0
MAX_RECIPIENTS = 200


def configured(settings: Settings) -> bool:
    return bool(settings.smtp_host and settings.smtp_from)


def _message(settings: Settings, to: str, subject: str, body: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = settings.smtp_from
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=settings.smtp_from.rpartition("@")[2] or None)
    msg.set_content(body)
    return msg


def _send_sync(settings: Settings, recipients: Sequence[str], subject: str, body: str) -> int:
    smtp_class = smtplib.SMTP_SSL if settings.smtp_tls == "tls" else smtplib.SMTP
    sent = 0
    with smtp_class(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS) as smtp:
        if settings.smtp_tls == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        for to in recipients[:MAX_RECIPIENTS]:
            try:
                smtp.send_message(_message(settings, to, subject, body))
                sent += 1
            except smtplib.SMTPRecipientsRefused:
                log.warning("mail: one recipient refused")
    return sent


async def send(settings: Settings, recipients: Sequence[str], subject: str, body: str) -> int:
    """Send to each recipient; returns how many were accepted (0 when SMTP is not set up)."""
    if not configured(settings) or not recipients:
        return 0
    try:
        return await asyncio.to_thread(_send_sync, settings, list(recipients), subject, body)
    except (OSError, smtplib.SMTPException) as exc:
        log.warning("mail: sending failed (%s)", type(exc).__name__)
        return 0
