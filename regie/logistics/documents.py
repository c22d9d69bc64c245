"""The round sheet of a van: an A4 PDF for the driver, rendered by WeasyPrint from a template.

Only what a driver needs at the door: the client's first name, address and phone, what to bring
and collect, and a box for the doorstep note. Printing it is an export of client data: it is
written to the access log. Nothing is fetched (only ``data:`` URLs are allowed).
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.clients.access import access_record
from regie.clients.models import AccessAction
from regie.logistics.models import RoundPlan, RoundStop, Van


def round_sheet_pdf(*, actor: User, plan: RoundPlan, van: Van, stops: list[RoundStop]) -> bytes:
    from weasyprint import HTML  # imported on use: it parses its stylesheets when loaded
    from weasyprint.urls import URLFetcher

    access_record(
        user=actor,
        clients=[stop.order.assignment.client for stop in stops],
        action=AccessAction.EXPORT,
        what=_("round sheet"),
    )
    html = render_to_string(
        "logistics/print/round_sheet.html",
        {"plan": plan, "van": van, "stops": stops, "printed_at": timezone.now()},
    )
    return bytes(HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf())
