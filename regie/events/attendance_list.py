"""The printable attendance list of a meeting or event: an A4 PDF with a signature column.

For an event it lists the registered participants; for a meeting without registrations its
attendance list (members and guests). Rendered with WeasyPrint from an HTML template; fonts
come from the system (DejaVu Sans, installed with the fonts-dejavu-core package) and nothing
is fetched: only ``data:`` URLs are allowed.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.events.models import Registration, RegistrationStatus
from regie.network.models import Meeting

BLANK_ROWS = 6  # for people who come without registering


@dataclass(frozen=True)
class ListRow:
    name: str
    organisation: str
    kind: str


def attendance_rows(meeting: Meeting) -> list[ListRow]:
    registrations = Registration.objects.filter(
        meeting=meeting, status=RegistrationStatus.REGISTERED
    ).order_by("last_name", "first_name", "pk")
    if meeting.registrations.exists():
        return [
            ListRow(
                name=f"{r.last_name}, {r.first_name}",
                organisation=r.organisation_name,
                kind=r.get_stakeholder_type_display(),
            )
            for r in registrations
        ]
    attendances = meeting.attendances.select_related("person", "organisation")
    rows = [
        ListRow(
            name=(
                f"{a.person.last_name}, {a.person.first_name}"
                if a.person is not None
                else a.guest_name
            ),
            organisation=str(a.organisation or ""),
            kind=str(_("Guest") if a.is_guest else _("Member")),
        )
        for a in attendances
    ]
    return sorted(rows, key=lambda row: (row.name.lower(), row.organisation.lower()))


def attendance_list_pdf(*, meeting: Meeting) -> bytes:
    from weasyprint import HTML  # imported on use: it parses its stylesheets when loaded
    from weasyprint.urls import URLFetcher

    html = render_to_string(
        "events/attendance_list.html",
        {
            "meeting": meeting,
            "rows": attendance_rows(meeting),
            "blank_rows": range(BLANK_ROWS),
            "printed_at": timezone.now(),
        },
    )
    fetcher = URLFetcher(allowed_protocols=["data"])
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())
