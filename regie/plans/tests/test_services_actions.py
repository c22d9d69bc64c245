"""Actions and their status history: every change keeps date, who, from, to and reason."""

import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from regie.core.errors import DomainError, StaleEditError
from regie.core.models import AuditEntry
from regie.network.models import Body, BodyKind
from regie.plans.models import Action, ActionStatus, StatusChange
from regie.plans.services import action_create, action_status_change, action_update
from regie.registry.models import Pillar
from regie.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

d = datetime.date


@pytest.fixture
def action(coordinator, home_region) -> Action:
    return action_create(
        actor=coordinator,
        region=home_region,
        on=d(2020, 1, 6),
        pillar=Pillar.objects.get(code="OD-2"),
        title="Groot netwerkmoment",
        year=2020,
        start=d(2020, 10, 1),
        end=d(2020, 10, 31),
    )


def change(action: Action, actor, **kwargs) -> Action:
    return action_status_change(
        actor=actor, action=action, expected_version=action.version, **kwargs
    )


def test_a_new_action_is_planned_and_its_history_starts(action, coordinator):
    assert action.status == ActionStatus.PLANNED
    assert action.last_year == 2020
    row = action.status_changes.get()
    assert (row.date, row.changed_by, row.from_status, row.to_status) == (
        d(2020, 1, 6),
        coordinator,
        "",
        ActionStatus.PLANNED,
    )
    assert AuditEntry.objects.filter(action="action.create").count() == 1


def test_postponing_keeps_date_who_reason_and_the_new_period(action, coordinator):
    action = change(
        action,
        coordinator,
        status=ActionStatus.POSTPONED,
        reason="corona",
        on=d(2020, 3, 16),
        new_start=d(2021, 10, 1),
        new_end=d(2021, 10, 31),
    )
    assert action.status == ActionStatus.POSTPONED
    assert action.status_since == d(2020, 3, 16)
    assert (action.start, action.end) == (d(2021, 10, 1), d(2021, 10, 31))
    assert action.last_year == 2021  # it now shows on the 2021 board too
    row = action.status_changes.last()
    assert row is not None
    assert (row.date, row.changed_by, row.from_status, row.to_status, row.reason) == (
        d(2020, 3, 16),
        coordinator,
        ActionStatus.PLANNED,
        ActionStatus.POSTPONED,
        "corona",
    )
    assert (row.new_start, row.new_end) == (d(2021, 10, 1), d(2021, 10, 31))
    assert Action.objects.in_year(2021).filter(pk=action.pk).exists()


@pytest.mark.parametrize(
    "status", [ActionStatus.POSTPONED, ActionStatus.ON_HOLD, ActionStatus.DROPPED]
)
def test_these_statuses_need_a_reason(action, coordinator, status):
    with pytest.raises(DomainError) as error:
        change(action, coordinator, status=status, reason="  ", new_start=d(2021, 1, 1))
    assert "reason" in error.value.message_dict
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED
    assert action.status_changes.count() == 1


@pytest.mark.parametrize("status", [ActionStatus.RUNNING, ActionStatus.DONE])
def test_these_statuses_need_no_reason(action, coordinator, status):
    assert change(action, coordinator, status=status).status == status


def test_postponing_asks_the_new_period(action, coordinator):
    with pytest.raises(DomainError) as error:
        change(action, coordinator, status=ActionStatus.POSTPONED, reason="corona")
    assert "new_start" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        change(
            action,
            coordinator,
            status=ActionStatus.POSTPONED,
            reason="corona",
            on=d(2020, 3, 16),
            new_start=d(2021, 5, 1),
            new_end=d(2021, 4, 1),
        )
    assert "new_end" in error.value.message_dict


def test_a_new_start_before_the_postponement_is_refused(action, coordinator):
    with pytest.raises(DomainError) as error:
        change(
            action,
            coordinator,
            status=ActionStatus.POSTPONED,
            reason="corona",
            on=d(2020, 3, 16),
            new_start=d(2020, 3, 1),
        )
    assert "new_start" in error.value.message_dict


def test_the_same_status_again_is_refused(action, coordinator):
    with pytest.raises(DomainError) as error:
        change(action, coordinator, status=ActionStatus.PLANNED)
    assert "status" in error.value.message_dict


def test_dates_in_the_future_or_before_the_last_change_are_refused(action, coordinator):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(DomainError) as error:
        change(action, coordinator, status=ActionStatus.RUNNING, on=tomorrow)
    assert "date" in error.value.message_dict
    with pytest.raises(DomainError) as error:
        change(action, coordinator, status=ActionStatus.RUNNING, on=d(2019, 12, 31))
    assert "date" in error.value.message_dict


def test_a_stale_version_is_refused_and_nothing_is_written(action, coordinator):
    stale = action.version
    change(action, coordinator, status=ActionStatus.RUNNING, on=d(2020, 2, 1))
    with pytest.raises(StaleEditError):
        action_status_change(
            actor=coordinator,
            action=action,
            expected_version=stale,
            status=ActionStatus.DROPPED,
            reason="geen budget",
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.RUNNING
    assert StatusChange.objects.filter(action=action).count() == 2


def test_the_history_is_a_chain(action, coordinator):
    action = change(action, coordinator, status=ActionStatus.RUNNING, on=d(2020, 1, 20))
    action = change(
        action, coordinator, status=ActionStatus.ON_HOLD, reason="corona", on=d(2020, 3, 16)
    )
    action = change(action, coordinator, status=ActionStatus.RUNNING, on=d(2020, 9, 1))
    rows = list(action.status_changes.order_by("date", "id"))
    assert [row.to_status for row in rows] == ["planned", "running", "on_hold", "running"]
    assert all(older.to_status == newer.from_status for older, newer in itertools.pairwise(rows))
    assert action.last_reason == "corona"


def test_edit_keeps_the_status_and_detects_concurrent_edits(action, coordinator):
    stale = action.version
    action_update(actor=coordinator, action=action, expected_version=stale, title="Netwerkdag")
    with pytest.raises(StaleEditError):
        action_update(actor=coordinator, action=action, expected_version=stale, title="Ander")
    action.refresh_from_db()
    assert action.title == "Netwerkdag"
    # The status changes only through ``action_status_change``: an edit has no status to give.
    with pytest.raises(TypeError):
        action_update(  # type: ignore[call-arg]  # the call the signature refuses
            actor=coordinator, action=action, expected_version=action.version, status="done"
        )
    action.refresh_from_db()
    assert action.status == ActionStatus.PLANNED


def test_links_must_belong_to_the_region(action, coordinator, other_region):
    foreign_organisation = OrganisationFactory.create(region=other_region)
    foreign_body = Body.objects.create(region=other_region, name="Elders", kind=BodyKind.PLATFORM)
    foreign_person = PersonFactory.create(region=other_region)
    with pytest.raises(DomainError) as error:
        action_update(
            actor=coordinator,
            action=action,
            expected_version=action.version,
            partner_organisations=[foreign_organisation],
            bodies=[foreign_body],
            owner=foreign_person,
        )
    assert set(error.value.message_dict) == {"partner_organisations", "bodies", "owner"}


def test_a_pillar_must_be_in_force_in_the_years_of_the_action(coordinator, home_region):
    with pytest.raises(DomainError) as error:
        action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code="WSE-LR1"),
            title="Te vroeg",
            year=2020,
        )
    assert "pillar" in error.value.message_dict
    spanning = action_create(
        actor=coordinator,
        region=home_region,
        on=d(2022, 6, 1),
        pillar=Pillar.objects.get(code="WSE-LR4"),
        title="Samenwerking VDAB",
        year=2022,
        last_year=2023,
    )
    assert spanning.years_display == "2022–2023"


def test_planned_dates_must_lie_in_the_years_of_the_action(coordinator, home_region):
    with pytest.raises(DomainError) as error:
        action_create(
            actor=coordinator,
            region=home_region,
            on=d(2020, 1, 6),
            pillar=Pillar.objects.get(code="OD-3"),
            title="Fietsproject",
            year=2020,
            start=d(2020, 10, 1),
            end=d(2021, 6, 30),
        )
    assert "end" in error.value.message_dict


def test_a_negative_planned_budget_is_refused(coordinator, home_region):
    with pytest.raises(DomainError) as error:
        action_create(
            actor=coordinator,
            region=home_region,
            pillar=Pillar.objects.get(code="OD-3"),
            title="Negatief",
            year=2020,
            planned_budget=Decimal(-5),
        )
    assert "planned_budget" in error.value.message_dict
