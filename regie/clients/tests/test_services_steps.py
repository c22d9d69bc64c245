"""Trajectory steps: a measure open on the start date, its maximum duration, no full-time
overlaps; the trajectory ends with its last step."""

import datetime
from decimal import Decimal

import pytest

from regie.clients import services
from regie.clients.models import ClientStatus, EndReason, Step, Trajectory
from regie.clients.tests.factories import ClientFactory, measure
from regie.core.errors import DomainError, StaleEditError

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def client_file(home_region, home_municipality, partner_organisation):
    return ClientFactory.create(
        region=home_region,
        organisation=partner_organisation,
        municipality=home_municipality,
        status=ClientStatus.REGISTERED,
    )


def _step(actor, client, code, start, **extra):
    extra.setdefault("hours_per_week", Decimal("19"))
    extra.setdefault("organisation", client.organisation)
    return services.step_create(
        actor=actor, client=client, measure=measure(code), start=start, **extra
    )


@pytest.mark.parametrize(
    ("code", "start"),
    [
        ("AZ", D(2021, 4, 1)),
        ("LDE", D(2023, 7, 1)),
        ("SINE", D(2023, 7, 1)),
        ("CMW", D(2018, 12, 31)),
    ],
)
def test_a_step_needs_a_measure_open_on_its_start_date(coordinator, client_file, code, start):
    with pytest.raises(DomainError) as error:
        _step(coordinator, client_file, code, start)

    assert code in error.value.message_dict["start"][0]
    assert not Trajectory.objects.exists()  # nothing half-written


@pytest.mark.parametrize(("code", "start"), [("AZ", D(2021, 3, 31)), ("LDE", D(2023, 6, 30))])
def test_the_last_start_day_is_still_open(coordinator, client_file, code, start):
    assert _step(coordinator, client_file, code, start).pk


def test_lde_lasts_five_years(coordinator, client_file):
    start = D(2016, 3, 1)
    assert _step(coordinator, client_file, "LDE", start, planned_end=D(2021, 3, 1)).pk
    with pytest.raises(DomainError) as error:
        _step(coordinator, client_file, "LDE", D(2016, 3, 1), planned_end=D(2021, 3, 2))
    assert "exception" in error.value.message_dict["exception_reason"][0]


def test_lde_lasts_six_years_by_exception_with_a_reason(coordinator, client_file):
    step = _step(
        coordinator,
        client_file,
        "LDE",
        D(2016, 3, 1),
        planned_end=D(2022, 3, 1),
        exception_reason="Stage bij reguliere werkgever loopt uit",
    )
    assert step.pk


def test_not_even_an_exception_goes_beyond_six_years(coordinator, client_file):
    with pytest.raises(DomainError) as error:
        _step(
            coordinator,
            client_file,
            "LDE",
            D(2016, 3, 1),
            planned_end=D(2022, 3, 2),
            exception_reason="…",
        )
    assert "even by exception" in error.value.message_dict["planned_end"][0]


def test_wijk_werken_lasts_twelve_months(coordinator, client_file):
    with pytest.raises(DomainError) as error:
        _step(coordinator, client_file, "WW", D(2019, 1, 1), planned_end=D(2020, 1, 2))
    assert "12" in error.value.message_dict["planned_end"][0]


def test_full_time_steps_do_not_overlap(coordinator, client_file):
    _step(coordinator, client_file, "CMW", D(2019, 1, 1), hours_per_week=Decimal("38"))

    with pytest.raises(DomainError) as error:
        _step(coordinator, client_file, "LDE", D(2019, 6, 1), hours_per_week=Decimal("19"))

    assert "full-time" in error.value.message_dict["hours_per_week"][0]
    assert Step.objects.count() == 1


def test_part_time_steps_may_overlap(coordinator, client_file):
    _step(coordinator, client_file, "CMW", D(2019, 1, 1), hours_per_week=Decimal("19"))
    assert _step(coordinator, client_file, "WW", D(2019, 6, 1), hours_per_week=Decimal("12")).pk


def test_end_before_start_is_refused(coordinator, client_file):
    with pytest.raises(DomainError) as error:
        _step(
            coordinator,
            client_file,
            "AZ",
            D(2019, 1, 1),
            end=D(2018, 12, 1),
            end_reason=EndReason.DROP_OUT,
        )
    assert "end" in error.value.message_dict


def test_an_ended_step_needs_a_reason(coordinator, client_file):
    with pytest.raises(DomainError) as error:
        _step(coordinator, client_file, "AZ", D(2019, 1, 1), end=D(2019, 6, 1))
    assert "end_reason" in error.value.message_dict


def test_the_trajectory_ends_with_its_last_step_unless_it_leads_on(coordinator, client_file):
    step = _step(coordinator, client_file, "AZ", D(2018, 1, 1))
    client_file.refresh_from_db()
    assert client_file.status == ClientStatus.ACTIVE

    services.step_update(
        actor=coordinator,
        step=step,
        expected_version=step.version,
        end=D(2019, 3, 31),
        end_reason=EndReason.OTHER_MEASURE,
    )
    trajectory = Trajectory.objects.get()
    assert trajectory.ended_on is None  # waiting for the next measure

    following = _step(coordinator, client_file, "CMW", D(2019, 4, 1))
    assert following.trajectory == trajectory
    services.step_update(
        actor=coordinator,
        step=following,
        expected_version=following.version,
        end=D(2020, 9, 30),
        end_reason=EndReason.REGULAR_JOB,
    )

    trajectory.refresh_from_db()
    client_file.refresh_from_db()
    assert trajectory.ended_on == D(2020, 9, 30)
    assert client_file.status == ClientStatus.ENDED
    assert client_file.history.filter(status=ClientStatus.ENDED).exists()

    again = _step(coordinator, client_file, "WW", D(2020, 11, 1))
    assert again.trajectory != trajectory  # a new trajectory


def test_a_stale_step_edit_is_refused(coordinator, client_file):
    step = _step(coordinator, client_file, "AZ", D(2018, 1, 1))
    services.step_update(
        actor=coordinator, step=step, expected_version=1, hours_per_week=Decimal("12")
    )
    with pytest.raises(StaleEditError):
        services.step_update(
            actor=coordinator, step=step, expected_version=1, hours_per_week=Decimal("16")
        )
