"""The bodies pages: list with filters, detail, create, edit, status and memberships."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.network.models import Body, BodyStatus, Membership
from regie.network.tests.factories import (
    BodyFactory,
    DecisionFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
    at,
)
from regie.registry.models import Pillar
from regie.registry.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def body(home_region, partner_organisation):
    body = BodyFactory.create(
        region=home_region,
        name="LDE-fabriek",
        kind="platform",
        pillar=Pillar.objects.get(code="OD-1"),
    )
    MembershipFactory.create(body=body, organisation=partner_organisation)
    return body


def test_list_filters_by_kind_status_and_pillar(
    client, coordinator, body, home_region, other_region
):
    BodyFactory.create(
        region=home_region,
        name="Werkgroep RASE",
        kind="working_group",
        status=BodyStatus.ON_HOLD,
        pillar=Pillar.objects.get(code="OD-3"),
    )
    BodyFactory.create(region=other_region, name="Elders")
    client.force_login(coordinator)
    url = reverse("network:body_list")

    names = lambda **params: [b.name for b in client.get(url, params).context["page"]]  # noqa: E731

    assert names() == ["LDE-fabriek", "Werkgroep RASE"]
    assert names(kind="working_group") == ["Werkgroep RASE"]
    assert names(status="active") == ["LDE-fabriek"]
    assert names(pillar="OD-3") == ["Werkgroep RASE"]
    assert names(q="fabr") == ["LDE-fabriek"]
    assert names(pillar="nonsense") == ["LDE-fabriek", "Werkgroep RASE"]  # a bad filter is ignored


def test_partner_sees_only_the_bodies_their_organisation_sits_in(
    client, partner, body, home_region
):
    BodyFactory.create(region=home_region, name="Zonder ons")
    client.force_login(partner)
    response = client.get(reverse("network:body_list"))
    assert [b.name for b in response.context["page"]] == ["LDE-fabriek"]
    assert not response.context["can_create"]


def test_htmx_renders_only_the_results(client, coordinator, body):
    client.force_login(coordinator)
    response = client.get(reverse("network:body_list"), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="results"')


def test_list_shows_member_count_and_next_meeting(client, coordinator, body):
    MeetingFactory.create(body=body, start=at(2099, 1, 5, 14), end=at(2099, 1, 5, 16))
    MembershipFactory.create(body=body, end=datetime.date(2019, 1, 1))
    client.force_login(coordinator)
    row = client.get(reverse("network:body_list")).context["page"][0]
    assert row.member_count == 1
    assert row.next_meeting == at(2099, 1, 5, 14)


def test_detail_shows_members_meetings_decisions_and_open_follow_ups(
    client, coordinator, body, home_region
):
    past = MeetingFactory.create(
        body=body, title="Februari", start=at(2020, 2, 6, 9), end=at(2020, 2, 6, 11)
    )
    MeetingFactory.create(
        body=body, title="Volgende", start=at(2099, 1, 1, 9), end=at(2099, 1, 1, 11)
    )
    DecisionFactory.create(meeting=past, text="We delen de draaiboeken")
    FollowUpFactory.create(meeting=past, title="Draaiboek rondsturen")
    FollowUpFactory.create(meeting=past, title="Al gedaan", status="done")
    client.force_login(coordinator)

    response = client.get(reverse("network:body_detail", args=[body.pk]))

    page = response.context["page"]
    assert [m.title for m in page.upcoming] == ["Volgende"]
    assert [m.title for m in page.past] == ["Februari"]
    assert "We delen de draaiboeken" in response.text
    assert "Draaiboek rondsturen" in response.text
    assert "Al gedaan" not in response.text
    assert "De Werkplaats" in response.text


def test_detail_query_count_does_not_grow(client, coordinator, body):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("network:body_detail", args=[body.pk])).status_code == 200
        return len(captured.captured_queries)

    client.force_login(coordinator)
    meeting = MeetingFactory.create(body=body)
    FollowUpFactory.create(meeting=meeting)
    few = queries()
    for _ in range(10):
        meeting = MeetingFactory.create(body=body)
        FollowUpFactory.create(meeting=meeting, owner=PersonFactory.create(region=body.region))
        DecisionFactory.create(meeting=meeting)
        MembershipFactory.create(body=body)
    assert queries() == few


def test_create_and_edit_a_body(client, coordinator, home_region):
    client.force_login(coordinator)
    response = client.post(
        reverse("network:body_create"),
        {"name": "Actiegroep", "kind": "working_group", "pillar": "", "version": 1},
    )
    body = Body.objects.get(name="Actiegroep")
    assert response.url == reverse("network:body_detail", args=[body.pk])
    assert body.region == home_region

    response = client.post(
        reverse("network:body_edit", args=[body.pk]),
        {"name": "", "kind": "working_group", "version": 1},
    )
    assert response.context["form"].errors["name"]

    client.post(
        reverse("network:body_edit", args=[body.pk]),
        {"name": "Actiegroep SE", "kind": "working_group", "version": 1},
    )
    stale = client.post(
        reverse("network:body_edit", args=[body.pk]),
        {"name": "Actiegroep oud", "kind": "working_group", "version": 1},
    )
    assert stale.context["stale"] is not None
    body.refresh_from_db()
    assert body.name == "Actiegroep SE"


def test_create_refuses_a_duplicate_name_beside_the_field(client, coordinator, body):
    client.force_login(coordinator)
    response = client.post(
        reverse("network:body_create"), {"name": "lde-fabriek", "kind": "platform", "version": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert Body.objects.count() == 1


def test_on_hold_needs_reason_and_date_beside_the_fields(client, coordinator, body):
    client.force_login(coordinator)
    url = reverse("network:body_status", args=[body.pk])
    response = client.post(
        url, {"status": "on_hold", "status_reason": "", "status_date": "", "version": 1}
    )
    errors = response.context["form"].errors
    assert errors["status_reason"]
    assert errors["status_date"]
    body.refresh_from_db()
    assert body.status == BodyStatus.ACTIVE

    client.post(
        url,
        {"status": "on_hold", "status_reason": "Corona", "status_date": "2020-03-16", "version": 1},
    )
    body.refresh_from_db()
    assert (body.status, body.status_date) == (BodyStatus.ON_HOLD, datetime.date(2020, 3, 16))
    assert "Corona" in client.get(reverse("network:body_detail", args=[body.pk])).text


def test_add_edit_and_end_a_membership(client, coordinator, body, home_region, other_region):
    person = PersonFactory.create(region=home_region)
    foreign = OrganisationFactory.create(region=other_region)
    client.force_login(coordinator)
    url = reverse("network:membership_create", args=[body.pk])

    response = client.post(url, {"role": "member"})
    assert response.context["form"].errors["organisation"]
    response = client.post(url, {"organisation": foreign.pk, "role": "member"})
    assert response.context["form"].errors["organisation"]  # not a choice for this region

    client.post(url, {"person": person.pk, "role": "chair", "start": "2020-01-01"})
    membership = Membership.objects.get(person=person)
    assert membership.role == "chair"

    edit = reverse("network:membership_edit", args=[body.pk, membership.pk])
    response = client.post(
        edit, {"person": person.pk, "role": "chair", "start": "2020-01-01", "end": "2019-01-01"}
    )
    assert response.context["form"].errors["end"]

    end = reverse("network:membership_end", args=[body.pk, membership.pk])
    assert client.post(end, {"end": "not a date"}).context["form"].errors["end"]
    client.post(end, {"end": "2020-12-31"})
    membership.refresh_from_db()
    assert membership.end == datetime.date(2020, 12, 31)


def test_other_regions_bodies_are_not_found(client, outsider, body):
    client.force_login(outsider)
    assert client.get(reverse("network:body_detail", args=[body.pk])).status_code == 404
    response = client.post(reverse("network:body_edit", args=[body.pk]), {"name": "x"})
    assert response.status_code == 404
