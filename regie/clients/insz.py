"""National numbers (INSZ, and BIS numbers) of clients: validated, encrypted, hashed, masked.

The number itself never reaches the database, a log line, a URL, an export or a report:

- ``encrypt`` seals it with AES-256-GCM under ``settings.REGIE_INSZ_KEY`` (from the
  environment); only ``decrypt`` — called when a user reveals it, with a reason that is logged —
  opens it again;
- ``lookup_hash`` is an HMAC-SHA256 under a key derived from the same secret, for finding a
  client by number and refusing a second client with the same number, without storing it;
- ``mask`` is what screens show: the kind and the three counter digits, never the birth date
  (the first six digits) nor the check digits (the last two).
"""

import hmac
import os
from dataclasses import dataclass
from hashlib import sha256

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.utils.translation import gettext as _
from stdnum.be import bis, nn

FORMAT_VERSION = b"\x01"  # the first byte of every sealed number: room for a key rotation
NONCE_BYTES = 12
ASSOCIATED_DATA = b"regie:insz:v1"
HASH_INFO = b"regie:insz:lookup:v1"
HIDDEN = "••"


@dataclass(frozen=True)
class Sealed:
    """What is stored of one number: the ciphertext, the lookup hash and the masked form."""

    encrypted: bytes
    lookup_hash: str
    masked: str


def normalise(raw: str) -> str:
    """The 11 digits of a valid national or BIS number; a ``ValidationError`` otherwise."""
    number = nn.compact(raw or "")
    if not number.isdigit() or len(number) != 11:
        raise ValidationError(
            _("A national number (INSZ) or BIS number has 11 digits."), code="invalid_length"
        )
    if not (nn.is_valid(number) or bis.is_valid(number)):
        raise ValidationError(
            _(
                "This national number (INSZ) or BIS number is not valid: the check digits do not "
                "match the other digits."
            ),
            code="invalid_checksum",
        )
    return number


def kind(number: str) -> str:
    return "BIS" if bis.is_valid(number) else "INSZ"


def mask(number: str) -> str:
    """``INSZ ••.••.••-123.••``: only the counter shows, which tells neither age nor number."""
    return f"{kind(number)} {HIDDEN}.{HIDDEN}.{HIDDEN}-{number[6:9]}.{HIDDEN}"


def seal(number: str) -> Sealed:
    return Sealed(encrypted=encrypt(number), lookup_hash=lookup_hash(number), masked=mask(number))


def encrypt(number: str) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return FORMAT_VERSION + nonce + AESGCM(_key()).encrypt(nonce, number.encode(), ASSOCIATED_DATA)


def decrypt(sealed: bytes) -> str:
    data = bytes(sealed)
    if data[:1] != FORMAT_VERSION:
        raise ValueError("unknown format of a sealed national number")
    nonce, ciphertext = data[1 : 1 + NONCE_BYTES], data[1 + NONCE_BYTES :]
    try:
        return AESGCM(_key()).decrypt(nonce, ciphertext, ASSOCIATED_DATA).decode()
    except InvalidTag:
        raise ValueError("the national number cannot be opened with this key") from None


def lookup_hash(number: str) -> str:
    return hmac.new(_hash_key(), number.encode(), sha256).hexdigest()


def _key() -> bytes:
    key = getattr(settings, "REGIE_INSZ_KEY", None)
    if not key:
        raise ImproperlyConfigured("REGIE_INSZ_KEY is not set: national numbers are unavailable")
    return bytes(key)


def _hash_key() -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=HASH_INFO).derive(_key())
