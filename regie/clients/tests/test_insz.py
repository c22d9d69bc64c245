"""National numbers: validated, sealed with AES-GCM, looked up by a keyed hash, shown masked."""

import base64
import datetime
import re

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from regie.clients import insz
from regie.clients.apps import ClientsConfig
from regie.clients.tests.factories import synthetic_insz
from regie.settings import env_key

birth_dates = st.dates(min_value=datetime.date(1920, 1, 1), max_value=datetime.date(2024, 12, 31))
counters = st.integers(min_value=1, max_value=997)


@st.composite
def numbers(draw: st.DrawFn) -> tuple[str, datetime.date]:
    birth = draw(birth_dates)
    return synthetic_insz(birth, draw(counters), bis=draw(st.booleans())), birth


@given(numbers())
def test_synthetic_numbers_are_valid(case):
    number, _birth = case
    assert insz.normalise(number) == number


@given(numbers())
def test_the_mask_shows_neither_birth_date_nor_check_digits(case):
    number, birth = case
    masked = insz.mask(number)

    digits = re.sub(r"\D", "", masked)
    assert digits == number[6:9]  # only the counter
    assert number[:6] not in masked
    assert f"{birth:%y%m%d}" not in digits
    assert masked.endswith(".••")


@given(numbers(), birth_dates, st.booleans())
def test_the_mask_is_the_same_whatever_the_birth_date(case, other_birth, other_bis):
    """The mask carries no information about the birth date or the check digits at all."""
    number, _birth = case
    other = synthetic_insz(other_birth, int(number[6:9]), bis=other_bis)

    assert re.sub(r"^\w+ ", "", insz.mask(number)) == re.sub(r"^\w+ ", "", insz.mask(other))


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("1234", "invalid_length"),
        ("85.07.30-033.29", "invalid_checksum"),
        ("abc", "invalid_length"),
    ],
)
def test_invalid_numbers_are_refused(raw, code):
    with pytest.raises(ValidationError) as error:
        insz.normalise(raw)
    assert error.value.code == code


def test_formatted_numbers_are_accepted():
    number = synthetic_insz(datetime.date(1985, 7, 30), 33)
    formatted = f"{number[:2]}.{number[2:4]}.{number[4:6]}-{number[6:9]}.{number[9:]}"
    assert insz.normalise(formatted) == number


@given(numbers())
def test_sealing_round_trips_and_never_stores_the_number(case):
    number, _birth = case
    sealed = insz.seal(number)

    assert number.encode() not in sealed.encrypted
    assert number not in sealed.lookup_hash
    assert insz.decrypt(sealed.encrypted) == number
    assert insz.lookup_hash(number) == sealed.lookup_hash


def test_each_sealing_uses_a_fresh_nonce():
    number = synthetic_insz(datetime.date(1990, 2, 3))
    assert insz.encrypt(number) != insz.encrypt(number)


def test_another_key_cannot_open_or_match(settings):
    number = synthetic_insz(datetime.date(1990, 2, 3))
    sealed = insz.seal(number)

    settings.REGIE_INSZ_KEY = b"another key of thirty-two bytes!"

    with pytest.raises(ValueError, match="cannot be opened"):
        insz.decrypt(sealed.encrypted)
    assert insz.lookup_hash(number) != sealed.lookup_hash


def test_without_a_key_numbers_are_unavailable(settings):
    settings.REGIE_INSZ_KEY = None
    with pytest.raises(ImproperlyConfigured, match="REGIE_INSZ_KEY"):
        insz.encrypt(synthetic_insz(datetime.date(1990, 2, 3)))


def test_the_key_setting_is_base64_of_32_bytes(monkeypatch):
    key = bytes(range(32))
    monkeypatch.setenv("REGIE_INSZ_KEY", base64.b64encode(key).decode())
    assert env_key("REGIE_INSZ_KEY", length=32, default=None) == key

    monkeypatch.setenv("REGIE_INSZ_KEY", base64.b64encode(b"short").decode())
    with pytest.raises(ImproperlyConfigured, match="32 bytes"):
        env_key("REGIE_INSZ_KEY", length=32, default=None)

    monkeypatch.setenv("REGIE_INSZ_KEY", "not base64!")
    with pytest.raises(ImproperlyConfigured, match="base64"):
        env_key("REGIE_INSZ_KEY", length=32, default=None)

    monkeypatch.delenv("REGIE_INSZ_KEY")
    assert env_key("REGIE_INSZ_KEY", length=32, default=None) is None


def test_regie_refuses_to_start_in_production_without_the_key(settings):
    import regie.clients

    settings.DEBUG = False
    settings.REGIE_INSZ_KEY = None
    with pytest.raises(ImproperlyConfigured, match="REGIE_INSZ_KEY"):
        ClientsConfig("regie.clients", regie.clients).ready()

    settings.REGIE_INSZ_KEY = bytes(32)
    ClientsConfig("regie.clients", regie.clients).ready()
