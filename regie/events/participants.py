"""What events add to a meeting's mails (``network.extensions``): its participants.

Registered from ``EventsConfig.ready()``. The registered participants of an event hear of a
change of its meeting (the waiting list of a cancel only), get a reminder the day before, and
their failed mails show on the meeting's page; a postponed event keeps its description.
"""

from regie.accounts.models import User
from regie.core.versioning import save_new
from regie.events import selectors, services
from regie.events.models import Event, Registration, RegistrationStatus
from regie.network.extensions import MeetingExtension
from regie.network.models import Meeting


def change_recipients(*, meeting: Meeting, cancelling: bool) -> list[tuple[str, str]]:
    """Who to tell that the meeting changed: the participants with an address."""
    statuses = selectors.ACTIVE if cancelling else (RegistrationStatus.REGISTERED,)
    participants = (
        Registration.objects.filter(meeting=meeting, status__in=statuses)
        .exclude(email="")  # a walk-in who gave no address
        .order_by("pk")
    )
    return [(f"{r.first_name} {r.last_name}", r.email) for r in participants]


def reminders_queue(*, meeting: Meeting) -> int:
    """Remind each registered participant (their own mail, with the check-in code)."""
    queued = 0
    for registration in Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.REGISTERED
    ).order_by("pk"):
        registration.meeting = meeting
        services.registration_reminder_queue(registration=registration)
        queued += 1
    return queued


def mail_topics(*, meeting: Meeting) -> list[str]:
    """The ``about`` of the mails to the meeting's participants."""
    label = Registration._meta.label_lower
    return [f"{label}:{pk}" for pk in meeting.registrations.values_list("pk", flat=True)]


def meeting_postponed(*, old: Meeting, new: Meeting, actor: User) -> None:
    """The new date keeps the event's description; its registration opens when the organiser
    opens it (the participants of the old date were told it is postponed)."""
    event = selectors.event_of(old)
    if event is not None and event.public_description:
        save_new(
            instance=Event(meeting=new, public_description=event.public_description), actor=actor
        )


EXTENSION = MeetingExtension(
    label="events",
    change_recipients=change_recipients,
    reminders=reminders_queue,
    mail_topics=mail_topics,
    postponed=meeting_postponed,
)
