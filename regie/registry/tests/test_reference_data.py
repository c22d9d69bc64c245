import datetime

import pytest

from regie.registry.models import Measure, Pillar

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("code", "day", "valid"),
    [
        ("AZ", datetime.date(2021, 3, 31), True),
        ("AZ", datetime.date(2021, 4, 1), False),
        ("AMA", datetime.date(2021, 3, 31), False),
        ("AMA", datetime.date(2021, 4, 1), True),
        ("LDE", datetime.date(2015, 3, 31), False),
        ("LDE", datetime.date(2023, 6, 30), True),
        ("LDE", datetime.date(2023, 7, 1), False),
        ("SINE", datetime.date(2023, 7, 1), False),
        ("IMW", datetime.date(2023, 6, 30), False),
        ("IMW", datetime.date(2023, 7, 1), True),
        ("REG", datetime.date(1990, 1, 1), True),
    ],
)
def test_measures_accept_entrants_only_in_their_period(code, day, valid):
    assert Measure.objects.get(code=code).is_valid_on(day) is valid


def test_lde_has_a_maximum_duration_with_an_exception():
    lde = Measure.objects.get(code="LDE")
    assert (lde.max_duration_months, lde.max_duration_exception_months) == (60, 72)


@pytest.mark.parametrize(
    ("year", "codes"),
    [
        (2020, ["OD-1", "OD-2", "OD-3"]),
        (2022, ["OD-1", "OD-2", "OD-3"]),
        (2023, ["WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4"]),
    ],
)
def test_the_framework_in_force_gives_the_pillars(year, codes):
    assert list(Pillar.objects.in_force(year).values_list("code", flat=True)) == codes
