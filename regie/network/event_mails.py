"""How the mails about meetings and events are written: Dutch, plain text, absolute links.

Mails are written outside a request (cron) as often as inside one, so links start from
``SITE_URL`` and the language is chosen here, not taken from whoever triggered the mail.
"""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

MAIL_LANGUAGE = "nl"


def site_url(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def mail_body(template: str, context: dict[str, Any]) -> str:
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
