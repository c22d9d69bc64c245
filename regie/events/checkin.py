"""Check-in codes: what the QR code of a confirmation holds, and the QR code itself.

The code is derived from the registration's secret cancel token and does not reveal it:
whoever sees a QR code can check the person in, not cancel them.
"""

import hashlib
import io
import re
from urllib.parse import urlencode

import segno
from django.urls import reverse
from django.utils.translation import gettext as _

from regie.core.mail import site_url
from regie.events.models import Registration

# "<registration id>-<10 hex>", anywhere in what the scanner typed (a bare code or the URL).
CHECKIN_CODE = re.compile(r"(?<![0-9])([0-9]{1,12})-([0-9a-f]{10})(?![0-9a-f])", re.IGNORECASE)


def checkin_code(registration: Registration) -> str:
    """The code of the registration's QR code. Derived from the secret cancel token, which it
    does not reveal: whoever sees the QR code cannot cancel the registration."""
    digest = hashlib.sha256(f"regie-checkin:{registration.cancel_token}".encode()).hexdigest()
    return f"{registration.pk}-{digest[:10]}"


def checkin_url(registration: Registration) -> str:
    """What the QR code holds: the organiser's check-in page with the code filled in, so a
    phone camera opens it and a scanner that types into the code field checks the person in."""
    path = reverse("events:checkin", args=[registration.meeting_id])
    return site_url(f"{path}?{urlencode({'code': checkin_code(registration)})}")


def checkin_qr(registration: Registration) -> segno.QRCode:
    return segno.make(checkin_url(registration), error="m")


def checkin_qr_svg(registration: Registration) -> str:
    """The QR code as inline SVG (no script, no style attribute), for the confirmation page."""
    svg = checkin_qr(registration).svg_inline(
        scale=4, title=_("QR code to check in"), svgclass="checkin-qr"
    )
    return str(svg).replace("<svg ", '<svg role="img" ', 1)


def checkin_qr_png(registration: Registration) -> bytes:
    buffer = io.BytesIO()
    checkin_qr(registration).save(buffer, kind="png", scale=8, border=4)
    return buffer.getvalue()
