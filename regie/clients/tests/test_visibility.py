"""Who sees which client, and which parts of a file (querysets.py and policy.py)."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from regie.clients import selectors, services
from regie.clients.models import (
    AccessLog,
    Client,
    ClientCounsellor,
    ContactKind,
    Referral,
    Step,
    SupportNeed,
)
from regie.clients.tests.factories import (
    ClientFactory,
    LegalBasisFactory,
    ReferralFactory,
    StepFactory,
)
from regie.registry.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def visible(user):
    return set(Client.objects.visible_to(user))


def test_each_role_sees_its_own_clients(cast, own_client, foreign_client, other_region):
    elsewhere = ClientFactory.create(region=other_region)

    assert visible(cast["coordinator"]) == {own_client, foreign_client}
    assert visible(cast["counsellor"]) == {own_client}
    assert visible(cast["partner"]) == {own_client}
    assert visible(cast["outsider"]) == {elsewhere}
    assert visible(cast["viewer"]) == set()
    assert visible(cast["admin"]) == set()  # the administrator sees no client file


def test_a_counsellor_stops_seeing_a_client_when_the_counselling_ends(counsellor, own_client):
    ClientCounsellor.objects.filter(client=own_client).update(end=datetime.date(2020, 1, 1))
    assert visible(counsellor) == set()


def test_a_referral_at_the_partners_organisation_is_enough(
    partner, foreign_client, partner_organisation
):
    ReferralFactory.create(client=foreign_client, referring_organisation=partner_organisation)
    assert visible(partner) == {foreign_client}


def test_a_partner_sees_only_what_happened_at_their_organisation(
    partner, own_client, other_organisation, partner_organisation
):
    trajectory = own_client.trajectories.get()
    StepFactory.create(
        trajectory=trajectory, organisation=other_organisation, start=datetime.date(2020, 1, 1)
    )
    ReferralFactory.create(client=own_client, target_organisation=other_organisation)

    assert set(Step.objects.visible_to(partner).values_list("organisation", flat=True)) == {
        partner_organisation.pk
    }
    assert not Referral.objects.visible_to(partner).exists()
    file = selectors.client_file(user=partner, pk=own_client.pk)
    assert not file.policy.personal_details
    assert not file.policy.national_number
    assert [s.organisation for t in file.trajectories for s in t.visible_steps] == [
        partner_organisation
    ]


def test_the_support_need_is_for_the_counsellors_only(cast, own_client):
    LegalBasisFactory.create(client=own_client)
    services.support_need_set(actor=cast["counsellor"], client=own_client, category="physical")

    for role in ("coordinator", "partner", "viewer", "admin", "outsider"):
        assert not SupportNeed.objects.visible_to(cast[role]).exists(), role
    assert SupportNeed.objects.visible_to(cast["counsellor"]).count() == 1


def test_contact_notes_are_for_the_counsellors_and_the_author(cast, own_client):
    services.contact_record(
        actor=cast["partner"],
        client=own_client,
        kind=ContactKind.DOORSTEP,
        on=datetime.date(2020, 4, 2),
        note="Mist de collega's.",
    )

    for role, sees in [("counsellor", True), ("partner", True), ("coordinator", False)]:
        file = selectors.client_file(user=cast[role], pk=own_client.pk)
        assert bool(file.readable_notes) is sees, role


def test_anonymised_clients_are_nobodys(cast, own_client):
    Client.objects.filter(pk=own_client.pk).update(status="anonymised")
    for role in cast:
        assert own_client not in visible(cast[role])


def test_the_access_log_is_for_the_coordinator_and_the_administrator(cast, own_client):
    AccessLog.objects.create(
        user=cast["counsellor"],
        username="counsellor",
        client=own_client,
        client_code=own_client.code,
        region=own_client.region,
        action="view",
        what="client file",
        channel="web",
    )
    seen = {role: AccessLog.objects.visible_to(user).count() for role, user in cast.items()}
    assert seen == {
        "coordinator": 1,
        "admin": 1,
        "partner": 0,
        "counsellor": 0,
        "viewer": 0,
        "outsider": 0,
    }


def test_the_client_list_shows_the_partner_only_their_current_step(
    partner, coordinator, own_client, other_organisation
):
    StepFactory.create(
        trajectory=own_client.trajectories.get(),
        organisation=other_organisation,
        start=datetime.date(2020, 6, 1),
    )

    def current(user: Any) -> list[str]:
        clients: Any = selectors.with_current_step(
            user=user, clients=list(selectors.client_list(user=user))
        )
        return [client.current_organisation for client in clients]

    assert current(coordinator) == [other_organisation.name]
    assert current(partner) == [own_client.organisation.name]


def test_a_counsellor_chooses_a_referring_person_only_among_those_they_may_see(
    client, counsellor, own_client, home_region, partner_organisation
):
    colleague = AffiliationFactory.create(
        organisation=partner_organisation, person__region=home_region
    ).person
    stranger = PersonFactory.create(region=home_region, last_name="Onbekend")
    client.force_login(counsellor)
    url = reverse("clients:referral_create", args=[own_client.pk])

    choices = client.get(url).context["form"].fields["referring_person"].queryset
    posted = client.post(url, {"referring_person": stranger.pk}).context["form"]

    assert set(choices) == {colleague}
    assert "referring_person" in posted.errors
    assert not Referral.objects.filter(referring_person=stranger).exists()
