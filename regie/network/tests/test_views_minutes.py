"""Minutes, decisions and follow-ups on the meeting page, and the page "Mijn opvolgpunten"."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.core.models import OutgoingMail
from regie.network.models import (
    Decision,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingStatus,
    MinutesAddendum,
    MinutesStatus,
)
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
)
from regie.registry.tests.factories import AffiliationFactory, PersonFactory

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def body(home_region, partner_organisation):
    body = BodyFactory.create(region=home_region, name="Lerend Netwerk")
    MembershipFactory.create(body=body, organisation=partner_organisation)
    return body


@pytest.fixture
def held(body):
    start = timezone.now() - datetime.timedelta(days=3)
    meeting = MeetingFactory.create(
        body=body, start=start, end=start + datetime.timedelta(hours=2), status=MeetingStatus.HELD
    )
    AgendaItemFactory.create(meeting=meeting, position=1, title="Stoepgesprekken")
    AttendanceFactory.create(meeting=meeting, person__email="lid@example.org")
    return meeting


def test_draft_minutes_are_shown_only_to_who_may_edit(client, coordinator, partner, held):
    held.agenda_items.update(minutes="Geheime ontwerptekst")
    client.force_login(partner)
    assert (
        "Geheime ontwerptekst"
        not in client.get(reverse("network:meeting_detail", args=[held.pk])).text
    )
    Meeting.objects.filter(pk=held.pk).update(minutes_status=MinutesStatus.SENT)
    assert (
        "Geheime ontwerptekst"
        not in client.get(reverse("network:meeting_detail", args=[held.pk])).text
    )
    Meeting.objects.filter(pk=held.pk).update(minutes_status=MinutesStatus.APPROVED)
    assert (
        "Geheime ontwerptekst" in client.get(reverse("network:meeting_detail", args=[held.pk])).text
    )
    client.force_login(coordinator)
    Meeting.objects.filter(pk=held.pk).update(minutes_status=MinutesStatus.DRAFT)
    assert (
        "Geheime ontwerptekst" in client.get(reverse("network:meeting_detail", args=[held.pk])).text
    )


def test_write_send_approve_and_lock_the_minutes(client, coordinator, held):
    item = held.agenda_items.get()
    client.force_login(coordinator)
    edit = reverse("network:minutes_edit", args=[held.pk])
    assert client.get(edit).status_code == 200
    client.post(
        edit,
        {f"minutes_{item.pk}": "Drie organisaties doen stoepgesprekken.", f"version_{item.pk}": 1},
    )
    item.refresh_from_db()
    assert item.minutes == "Drie organisaties doen stoepgesprekken."

    stale = client.post(edit, {f"minutes_{item.pk}": "Oud", f"version_{item.pk}": 1})
    assert stale.context["stale"] == [
        ("1. Stoepgesprekken", "—", "Drie organisaties doen stoepgesprekken.", "Oud")
    ]
    assert stale.context["form"].non_field_errors()

    status = reverse("network:minutes_status", args=[held.pk])
    refused = client.post(status, {"action": "publish"}, follow=True)
    assert [m.level_tag for m in refused.context["messages"]][-1] == "error"
    client.post(status, {"action": "send"})
    assert OutgoingMail.objects.get().to == ["lid@example.org"]
    client.post(status, {"action": "approve"})
    client.post(status, {"action": "lock"})
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.LOCKED

    refused = client.post(edit, {f"minutes_{item.pk}": "Gewijzigd", f"version_{item.pk}": 2})
    assert refused.context["form"].non_field_errors()
    item.refresh_from_db()
    assert item.minutes == "Drie organisaties doen stoepgesprekken."


def test_a_lifecycle_step_out_of_order_is_an_error_message(client, coordinator, held):
    client.force_login(coordinator)
    response = client.post(
        reverse("network:minutes_status", args=[held.pk]), {"action": "lock"}, follow=True
    )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    held.refresh_from_db()
    assert held.minutes_status == MinutesStatus.DRAFT


def test_an_addendum_corrects_locked_minutes(client, coordinator, held):
    item = held.agenda_items.get()
    client.force_login(coordinator)
    url = reverse("network:addendum_create", args=[held.pk, item.pk])
    refused = client.post(url, {"text": "Te vroeg"})
    assert refused.context["form"].non_field_errors()  # not locked yet
    Meeting.objects.filter(pk=held.pk).update(minutes_status=MinutesStatus.LOCKED)
    assert client.post(url, {"text": ""}).context["form"].errors["text"]
    client.post(url, {"text": "Lees: vier organisaties."})
    assert MinutesAddendum.objects.get().text == "Lees: vier organisaties."
    assert (
        "Lees: vier organisaties."
        in client.get(reverse("network:meeting_detail", args=[held.pk])).text
    )


def test_record_a_decision(client, coordinator, held):
    item = held.agenda_items.get()
    client.force_login(coordinator)
    url = reverse("network:decision_create", args=[held.pk])
    assert client.post(url, {"decision-text": ""}).context["form"].errors["text"]
    foreign_item = AgendaItemFactory.create()
    bad = client.post(url, {"decision-text": "x", "decision-agenda_item": foreign_item.pk})
    assert bad.context["form"].errors["agenda_item"]
    client.post(url, {"decision-text": "Draaiboek delen", "decision-agenda_item": item.pk})
    assert Decision.objects.get().agenda_item == item


def test_record_and_edit_a_follow_up(client, coordinator, held, home_region, other_region):
    owner = PersonFactory.create(region=home_region)
    client.force_login(coordinator)
    url = reverse("network:follow_up_create", args=[held.pk])
    assert client.post(url, {"follow_up-title": ""}).context["form"].errors["title"]
    foreign = PersonFactory.create(region=other_region)
    assert (
        client.post(url, {"follow_up-title": "x", "follow_up-owner": foreign.pk})
        .context["form"]
        .errors["owner"]
    )
    bad_date = client.post(url, {"follow_up-title": "x", "follow_up-due_date": "31/02/2020"})
    assert bad_date.context["form"].errors["due_date"]

    client.post(
        url,
        {
            "follow_up-title": "Noden bevragen",
            "follow_up-owner": owner.pk,
            "follow_up-due_date": "2099-01-31",
        },
    )
    follow_up = FollowUp.objects.get()
    assert (follow_up.owner, follow_up.body) == (owner, held.body)

    edit = reverse("network:follow_up_edit", args=[follow_up.pk])
    client.post(
        edit, {"title": "Noden bevragen bij de leden", "status": "in_progress", "version": 1}
    )
    follow_up.refresh_from_db()
    assert (follow_up.title, follow_up.status, follow_up.owner) == (
        "Noden bevragen bij de leden",
        FollowUpStatus.IN_PROGRESS,
        None,
    )
    assert (
        client.post(edit, {"title": "", "status": "open", "version": 2})
        .context["form"]
        .errors["title"]
    )


@pytest.fixture
def partner_person(partner, partner_organisation, home_region):
    person = PersonFactory.create(region=home_region, first_name="Bram")
    AffiliationFactory.create(person=person, organisation=partner_organisation)
    partner.person = person
    partner.save()
    return person


def test_my_follow_ups_lists_the_owners_points_and_the_owner_changes_their_status(
    client, partner, partner_person, body, held
):
    mine = FollowUpFactory.create(meeting=held, owner=partner_person, title="Mijn punt")
    FollowUpFactory.create(meeting=held, title="Niet van mij")
    client.force_login(partner)

    page = client.get(reverse("network:my_follow_ups"))
    assert [f.title for f in page.context["follow_ups"]] == ["Mijn punt"]

    url = reverse("network:follow_up_status", args=[mine.pk])
    response = client.post(url, {"status": "done", "version": 1}, headers=HTMX)
    assert response.text.lstrip().startswith(f'<div id="follow-up-{mine.pk}-status"')
    mine.refresh_from_db()
    assert mine.status == FollowUpStatus.DONE

    stale = client.post(url, {"status": "open", "version": 1}, headers=HTMX)
    assert f'id="follow-up-{mine.pk}-error"' in stale.text
    mine.refresh_from_db()
    assert mine.status == FollowUpStatus.DONE
    bad = client.post(url, {"status": "finished", "version": 2}, headers=HTMX)
    assert f'id="follow-up-{mine.pk}-error"' in bad.text


def test_someone_elses_follow_up_is_not_found(client, partner, partner_person, held):
    other = FollowUpFactory.create(
        meeting=held, owner=PersonFactory.create(region=held.body.region)
    )
    client.force_login(partner)
    response = client.post(
        reverse("network:follow_up_status", args=[other.pk]), {"status": "done", "version": 1}
    )
    assert response.status_code == 404
    assert client.get(reverse("network:follow_up_edit", args=[other.pk])).status_code == 404


def test_without_a_person_the_page_explains_it(client, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("network:my_follow_ups"))
    assert response.status_code == 200
    assert not response.context["has_person"]
    assert list(response.context["follow_ups"]) == []


def test_a_safe_return_address_only(client, coordinator, held):
    follow_up = FollowUpFactory.create(meeting=held)
    client.force_login(coordinator)
    url = reverse("network:follow_up_status", args=[follow_up.pk])
    body_page = reverse("network:body_detail", args=[held.body.pk])
    assert client.post(url, {"status": "done", "version": 1, "next": body_page}).url == body_page
    response = client.post(url, {"status": "open", "version": 2, "next": "https://evil.example/"})
    assert response.url == reverse("network:my_follow_ups")
