"""What the apps built on meetings add to a meeting's mails, without the networks naming them.

``events`` registers here, from its ``AppConfig.ready()``, who besides the attendees hears of a
meeting: its registered participants are mailed an update or a cancel when the meeting changes
and a reminder the day before, their failed mails show on the meeting's page, and a postponed
meeting keeps its public description. The networks call these hooks and import no app above
them (the layers contract in pyproject.toml). Like ``core.plugins``: registered once per label,
again with the same value a no-op, so the hooks are module-level functions.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured

if TYPE_CHECKING:
    from regie.accounts.models import User
    from regie.network.models import Meeting


class ChangeRecipients(Protocol):
    """(name, address) of the people to tell that the meeting changed (or is cancelled)."""

    def __call__(self, *, meeting: "Meeting", cancelling: bool) -> Sequence[tuple[str, str]]: ...


class Reminders(Protocol):
    """Queue the app's own reminders of a meeting that starts tomorrow; returns how many."""

    def __call__(self, *, meeting: "Meeting") -> int: ...


class MailTopics(Protocol):
    """The ``OutgoingMail.about`` keys of the app's mails about the meeting."""

    def __call__(self, *, meeting: "Meeting") -> Sequence[str]: ...


class Postponed(Protocol):
    """The meeting ``old`` moved to ``new`` (a new meeting, same agenda and invitees)."""

    def __call__(self, *, old: "Meeting", new: "Meeting", actor: "User") -> None: ...


@dataclass(frozen=True, kw_only=True)
class MeetingExtension:
    label: str  # the app label
    change_recipients: ChangeRecipients | None = None
    reminders: Reminders | None = None
    mail_topics: MailTopics | None = None
    postponed: Postponed | None = None


_extensions: dict[str, MeetingExtension] = {}


def register(extension: MeetingExtension) -> None:
    existing = _extensions.get(extension.label)
    if existing is not None and existing != extension:
        raise ImproperlyConfigured(
            f"App {extension.label!r} registered a different meeting extension before."
        )
    _extensions[extension.label] = extension


def unregister(label: str) -> None:
    _extensions.pop(label, None)


def extensions() -> list[MeetingExtension]:
    """Every registered extension, in ``INSTALLED_APPS`` order (others, e.g. a test's, last)."""
    position = {config.label: index for index, config in enumerate(apps.get_app_configs())}
    return sorted(_extensions.values(), key=lambda e: position.get(e.label, len(position)))


def change_recipients(*, meeting: "Meeting", cancelling: bool) -> list[tuple[str, str]]:
    return [
        recipient
        for extension in extensions()
        if extension.change_recipients is not None
        for recipient in extension.change_recipients(meeting=meeting, cancelling=cancelling)
    ]


def reminders_queue(*, meeting: "Meeting") -> int:
    return sum(
        extension.reminders(meeting=meeting)
        for extension in extensions()
        if extension.reminders is not None
    )


def mail_topics(*, meeting: "Meeting") -> list[str]:
    return [
        topic
        for extension in extensions()
        if extension.mail_topics is not None
        for topic in extension.mail_topics(meeting=meeting)
    ]


def meeting_postponed(*, old: "Meeting", new: "Meeting", actor: "User") -> None:
    for extension in extensions():
        if extension.postponed is not None:
            extension.postponed(old=old, new=new, actor=actor)
