"""Outgoing mail that is never lost: queued in the database, sent, and retried on failure.

Services call ``mail_queue(...)`` inside their transaction; the mail is sent after commit. A
failure is recorded on the row and retried by ``manage.py send_queued_mail`` (cron). Every mail
goes out as plain text with an HTML alternative made from it, and its subject on one line
whatever the user typed in the title it is made of.
"""

import base64
import datetime
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import format_html, linebreaks, urlize
from django.utils.safestring import mark_safe

from regie.core.models import OutgoingMail

logger = logging.getLogger(__name__)
MAX_ATTEMPTS = 8
# Line breaks and other control characters, with the spaces around them: a header is one line.
CONTROL_CHARACTERS = re.compile(r"\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*")


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
    """Store a mail and send it once the surrounding transaction commits.

    A mail that cannot even be written (an address with a line break, say) is stored as failed
    with the reason and not sent: check ``mail.status`` to know whether it is on its way.
    """
    mail = OutgoingMail(
        to=[address.strip() for address in to],
        reply_to=[address.strip() for address in reply_to],
        subject=single_line(subject)[:250],
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
    try:
        _message(mail).message()
    except ValueError as error:  # retrying would fail the same way
        mail.status = OutgoingMail.Status.FAILED
        mail.last_error = f"{type(error).__name__}: {error}"[:1000]
        logger.warning("mail to %s refused: %s", len(mail.to), mail.last_error)
    mail.save()
    if send_now and mail.status == OutgoingMail.Status.QUEUED:
        transaction.on_commit(lambda: mail_send(mail=mail))
    return mail


def single_line(text: str) -> str:
    """``text`` as one header line: each run of line breaks or control characters is a space."""
    return CONTROL_CHARACTERS.sub(" ", text).strip()


def mail_html(*, subject: str, body: str) -> str:
    """The HTML alternative of a plain-text mail: the same text, escaped, with live links."""
    paragraphs = linebreaks(urlize(body.strip(), nofollow=True, autoescape=True))
    return format_html(
        '<!DOCTYPE html>\n<html lang="{}"><head><meta charset="utf-8"><title>{}</title></head>'
        "<body>{}</body></html>\n",
        settings.LANGUAGE_CODE,
        subject,
        mark_safe(paragraphs),  # escaped by urlize above  # noqa: S308
    )


def _message(mail: OutgoingMail) -> EmailMultiAlternatives:
    subject = single_line(mail.subject)  # rows queued before subjects were made single-line
    message = EmailMultiAlternatives(
        subject=subject,
        body=mail.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=mail.to,
        reply_to=mail.reply_to or None,
    )
    message.attach_alternative(mail_html(subject=subject, body=mail.body), "text/html")
    for attachment in mail.attachments:
        message.attach(
            attachment["filename"],
            base64.b64decode(attachment["content"]),
            attachment["mimetype"],
        )
    return message


def mail_send(*, mail: OutgoingMail) -> bool:
    """Try to send one queued mail; record the outcome. Returns whether it went out."""
    mail.attempts += 1
    try:
        _message(mail).send()
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


def mail_send_due(*, now: datetime.datetime | None = None) -> dict[str, int]:
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


# Writing a mail ---------------------------------------------------------------------------------
# Mails are written outside a request (cron) as often as inside one, so links start from
# ``SITE_URL`` and the language is chosen here, not taken from whoever triggered the mail.

MAIL_LANGUAGE = "nl"


def site_url(path: str) -> str:
    """An absolute link for a mail: ``SITE_URL`` and the path."""
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def mail_body(template: str, context: Mapping[str, object]) -> str:
    """Render a plain-text mail template in the language that is active (see ``in_language``)."""
    text = render_to_string(template, {"site_url": settings.SITE_URL, **context})
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return "\n".join(_squeeze(lines)) + "\n"


def in_language(language: str | None) -> translation.override:
    """Mails are Dutch unless the recipient chose another language we speak."""
    chosen = language if language in dict(settings.LANGUAGES) else MAIL_LANGUAGE
    return translation.override(chosen)


def _squeeze(lines: list[str]) -> list[str]:
    # Template tags leave blank lines behind; keep at most one in a row.
    squeezed: list[str] = []
    for line in lines:
        if line or (squeezed and squeezed[-1]):
            squeezed.append(line)
    return squeezed
