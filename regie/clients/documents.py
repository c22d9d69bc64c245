"""The loan agreement of a device: an A4 PDF to sign, rendered by WeasyPrint from a template.

Fonts come from the system and nothing is fetched (only ``data:`` URLs are allowed). Printing it
is an export of client data (name and address): it is written to the access log.
"""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.clients.access import access_record
from regie.clients.models import AccessAction, Loan


def loan_agreement_pdf(*, actor: User, loan: Loan) -> bytes:
    from weasyprint import HTML  # imported on use: it parses its stylesheets when loaded
    from weasyprint.urls import URLFetcher

    access_record(
        user=actor, clients=[loan.client], action=AccessAction.EXPORT, what=_("loan agreement")
    )
    html = render_to_string(
        "clients/print/loan_agreement.html",
        {"loan": loan, "client": loan.client, "device": loan.device, "printed_at": timezone.now()},
    )
    return bytes(HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf())
