"""Outgoing mail that is never lost: queued in the database, sent, and retried on failure.

Services call ``mail_queue(...)`` inside their transaction; the mail is sent after commit. A
failure is recorded on the row and retried by ``manage.py send_queued_mail`` (cron).
"""

import base64
import datetime
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import models, transaction
from django.utils import timezone

from regie.core.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    mimetype: str


def mail_queue(
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    attachments: Sequence[Attachment] = (),
    reply_to: Sequence[str] = (),
    about: models.Model | None = None,
    send_now: bool = True,
) -> OutgoingMail:
    """Store a mail and send it once the surrounding transaction commits."""
    mail = OutgoingMail.objects.create(
        to=list(to),
        reply_to=list(reply_to),
        subject=subject[:250],
        body=body,
        attachments=[
            {
                "filename": a.filename,
                "mimetype": a.mimetype,
                "content": base64.b64encode(a.content).decode("ascii"),
            }
            for a in attachments
        ],
        about=f"{about._meta.label_lower}:{about.pk}" if about is not None else "",
    )
    if send_now:
        transaction.on_commit(lambda: mail_send(mail=mail))
    return mail


def mail_send(*, mail: OutgoingMail) -> bool:
    """Try to send one queued mail; record the outcome. Returns whether it went out."""
    message = EmailMessage(
        subject=mail.subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=mail.reply_to or None,
    )
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    mail.attempts += 1
    try:
        message.send()
    except Exception as error:  # any transport failure is recorded and retried
        mail.last_error = f"{type(error).__name__}: {error}"[:1000]
        mail.status = (
            OutgoingMail.Status.FAILED
            if mail.attempts >= MAX_ATTEMPTS
            else OutgoingMail.Status.QUEUED
        )
        mail.next_attempt_at = timezone.now() + datetime.timedelta(minutes=5 * 2**mail.attempts)
        logger.warning("mail %s to %s failed: %s", mail.pk, len(mail.to), mail.last_error)
        mail.save(update_fields=["attempts", "last_error", "status", "next_attempt_at"])
        return False
    mail.status = OutgoingMail.Status.SENT
    mail.sent_at = timezone.now()
    mail.last_error = ""
    mail.save(update_fields=["attempts", "last_error", "status", "sent_at"])
    return True


def mail_send_due(*, now: datetime.datetime | None = None) -> dict[str, Any]:
    """Send every queued mail whose next attempt is due; returns counts."""
    now = now or timezone.now()
    due = OutgoingMail.objects.filter(status=OutgoingMail.Status.QUEUED).filter(
        models.Q(next_attempt_at__isnull=True) | models.Q(next_attempt_at__lte=now)
    )
    sent = failed = 0
    for mail in due.order_by("created_at"):
        if mail_send(mail=mail):
            sent += 1
        else:
            failed += 1
    return {"sent": sent, "failed": failed}
