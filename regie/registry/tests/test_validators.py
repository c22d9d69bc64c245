import pytest
from django.core.exceptions import ValidationError

from regie.registry.tests.factories import kbo_for
from regie.registry.validators import format_kbo, normalise_kbo


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0403.170.701", "0403170701"),
        ("BE 0403 170 701", "0403170701"),
        ("403170701", "0403170701"),
        (format_kbo(kbo_for(7)), kbo_for(7)),
    ],
)
def test_valid_enterprise_numbers_are_normalised(raw, expected):
    assert normalise_kbo(raw) == expected


def test_wrong_check_digit_is_refused_in_dutch():
    with pytest.raises(ValidationError) as error:
        normalise_kbo("0403.170.702")
    assert error.value.code == "kbo_checksum"
    assert "controlecijfers" in error.value.messages[0]


@pytest.mark.parametrize("raw", ["0403.170", "04031707011", "12"])
def test_wrong_length_is_refused(raw):
    with pytest.raises(ValidationError) as error:
        normalise_kbo(raw)
    assert error.value.code == "kbo_length"


def test_letters_are_refused():
    with pytest.raises(ValidationError) as error:
        normalise_kbo("04O3.170.701")
    assert error.value.code == "kbo_format"


def test_format_kbo_groups_digits():
    assert format_kbo("0403170701") == "0403.170.701"
