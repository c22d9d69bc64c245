"""Validation of Belgian identifiers, with messages in the user's language."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from stdnum.be import vat
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError


def normalise_kbo(value: str) -> str:
    """Return the 10-digit enterprise number, or raise ``ValidationError`` saying what is wrong."""
    raw = (value or "").strip()
    try:
        return vat.validate(raw)
    except InvalidLength:
        raise ValidationError(
            _("An enterprise number has 10 digits, like 0123.456.749."), code="kbo_length"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("This enterprise number is not valid: the check digits do not match."),
            code="kbo_checksum",
        ) from None
    except (InvalidFormat, StdnumError):
        raise ValidationError(
            _("An enterprise number has only digits and starts with 0 or 1, like 0123.456.749."),
            code="kbo_format",
        ) from None


def validate_kbo(value: str) -> None:
    if value:
        normalise_kbo(value)


def format_kbo(value: str) -> str:
    if len(value) != 10:
        return value
    return f"{value[:4]}.{value[4:7]}.{value[7:]}"
