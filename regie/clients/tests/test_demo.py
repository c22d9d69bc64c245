"""The demo clients: about 600 fictional people in the 14 municipalities, loaded idempotently,
with valid trajectories, and without any national number."""

import time

import pytest
from django.db.models import Count

from regie.accounts.models import User
from regie.clients.demo import clients_demo_load
from regie.clients.models import (
    Client,
    ClientFollowUp,
    Contact,
    ContactKind,
    Loan,
    Referral,
    SkillsSession,
    Step,
)
from regie.registry.demo import demo_region_load
from regie.registry.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    """The registry's demo region with the clients on top, loaded twice."""
    demo_region_load()
    region = Region.objects.get(code="w13")
    actor = User.objects.get(username="admin")
    started = time.monotonic()
    first = clients_demo_load(region=region, actor=actor)
    seconds = time.monotonic() - started
    second = clients_demo_load(region=region, actor=actor)
    return {"region": region, "first": first, "second": second, "seconds": seconds}


def test_about_600_clients_in_the_14_municipalities(demo):
    clients = Client.objects.filter(region=demo["region"])
    assert clients.count() == 600
    assert clients.values("municipality").distinct().count() == 14
    assert demo["seconds"] < 20


def test_loading_again_changes_nothing(demo):
    first, second = demo["first"], demo["second"]
    assert first.created
    assert not second.created
    assert (first.clients, first.steps, first.contacts, first.loans) == (
        second.clients,
        second.steps,
        second.contacts,
        second.loans,
    )


def test_no_national_numbers(demo):
    assert not Client.objects.exclude(insz_hash="").exists()
    assert not Client.objects.filter(insz_encrypted__isnull=False).exists()


def test_every_step_and_client_is_valid_and_has_history(demo):
    for step in Step.objects.select_related("measure", "trajectory"):
        step.full_clean()
    for client in Client.objects.select_related("municipality")[:100]:
        client.full_clean()
    assert Client.history.count() >= 600
    assert Step.history.count() == Step.objects.count()


def test_trajectories_from_2016_to_2020_and_referrals_by_vdab_gtb_and_ocmws(demo):
    years = {step.start.year for step in Step.objects.all()}
    assert years == {2016, 2017, 2018, 2019, 2020}
    referrers = set(
        Referral.objects.values_list("referring_organisation__kind", flat=True).distinct()
    )
    assert {"vdab", "ocmw"} <= referrers
    assert Referral.objects.filter(referring_organisation__name__icontains="GTB").exists()
    assert Step.objects.exclude(end_reason="").values("end_reason").distinct().count() >= 4


def test_the_demo_counsellor_and_partner_have_clients(demo):
    counsellor = User.objects.get(username="counsellor")
    partner = User.objects.get(username="partner")

    followed = Client.objects.visible_to(counsellor).count()
    assert 25 <= followed <= 35
    assert Client.objects.visible_to(partner).count() >= 20
    assert ClientFollowUp.objects.visible_to(counsellor).exists()


def test_spring_2020_doorstep_talks_loans_and_sessions(demo):
    talks = Contact.objects.filter(kind=ContactKind.DOORSTEP, on__year=2020, on__month__lte=6)
    assert talks.count() >= 100
    assert Loan.objects.filter(start__year=2020).count() >= 20
    sessions = SkillsSession.objects.annotate(enrolled=Count("enrolments"))
    assert sessions.count() >= 5
    assert all(session.enrolled > 0 for session in sessions)  # type: ignore[attr-defined]  # annotated
