import datetime

import pytest
from django.urls import reverse

from regie.knowledge import selectors, services
from regie.knowledge.models import Practice, PracticeAnswer, Rule
from regie.network.tests.factories import AgendaItemFactory, BodyFactory, MeetingFactory
from regie.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def practice(coordinator, home_region):
    return services.practice_create(
        actor=coordinator,
        region=home_region,
        question="Hoe gaan jullie om met thuiswerk voor AZ-medewerkers?",
        tags="corona, thuiswerk",
    )


@pytest.fixture
def rule(coordinator, home_region):
    return services.rule_create(
        actor=coordinator,
        region=home_region,
        title="Anderhalve meter afstand",
        source="Ministerieel besluit van 23 maart 2020",
        effective_from=datetime.date(2020, 3, 23),
        summary="Houd anderhalve meter afstand.",
    )


def test_search_page_and_htmx_results(client, counsellor, practice, rule):
    client.force_login(counsellor)
    url = reverse("knowledge:home")
    page = client.get(url, {"q": "thuiswerk"})
    assert practice.question in page.text
    partial = client.get(url, {"q": "afstand"}, headers={"HX-Request": "true"})
    assert partial.text.lstrip().startswith('<div id="results"')
    assert rule.title in partial.text
    assert practice.question not in partial.text


def test_create_practice_needs_a_question(client, coordinator):
    client.force_login(coordinator)
    response = client.post(reverse("knowledge:practice_create"), {"question": "", "version": 1})
    assert "question" in response.context["form"].errors
    assert not Practice.objects.exists()


def test_create_practice_is_searchable(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("knowledge:practice_create"),
        {"question": "Hoe organiseren jullie stoepgesprekken?", "tags": "bereik", "version": 1},
    )
    practice = Practice.objects.get()
    assert response.url == reverse("knowledge:practice_detail", args=[practice.pk])
    hits = selectors.knowledge_search(user=coordinator, q="stoepgesprek")
    assert [hit.object_id for hit in hits] == [practice.pk]


def test_an_agenda_item_of_another_meeting_is_refused_at_the_field(
    client, coordinator, home_region
):
    body = BodyFactory.create(region=home_region)
    meeting, other = MeetingFactory.create_batch(2, body=body)
    item = AgendaItemFactory.create(meeting=other)
    client.force_login(coordinator)
    response = client.post(
        reverse("knowledge:practice_create"),
        {"question": "Hoe?", "meeting": meeting.pk, "agenda_item": item.pk, "version": 1},
    )
    assert response.context["form"].errors["agenda_item"] == [
        "Dit agendapunt hoort bij een andere vergadering."
    ]
    assert not Practice.objects.exists()


def test_partner_answers_for_their_own_organisation_only(
    client, partner, partner_organisation, practice, home_region
):
    other = OrganisationFactory.create(region=home_region)
    client.force_login(partner)
    url = reverse("knowledge:practice_answer", args=[practice.pk])
    refused = client.post(url, {"organisation": other.pk, "text": "Wij ook."})
    assert "organisation" in refused.context["answer_form"].errors
    empty = client.post(url, {"organisation": partner_organisation.pk, "text": ""})
    assert "text" in empty.context["answer_form"].errors
    client.post(url, {"organisation": partner_organisation.pk, "text": "Materiaal aan huis."})
    answer = PracticeAnswer.objects.get()
    assert answer.organisation == partner_organisation
    assert selectors.knowledge_search(user=partner, q="materiaal")[0].object_id == practice.pk


def test_rule_end_before_start_is_refused(client, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("knowledge:rule_create"),
        {
            "title": "Mondmasker",
            "source": "MB",
            "effective_from": "2020-07-10",
            "effective_until": "2020-07-01",
            "summary": "…",
            "version": 1,
        },
    )
    assert response.context["form"].errors["effective_until"] == [
        "De einddatum ligt vóór de begindatum."
    ]
    assert not Rule.objects.exists()


def test_translation_into_practice_per_floor_type(client, coordinator, rule):
    client.force_login(coordinator)
    url = reverse("knowledge:rule_translation", args=[rule.pk])
    bad = client.post(url, {"floor_type": "spaceship", "practice": "x"})
    assert "floor_type" in bad.context["form"].errors
    client.post(url, {"floor_type": "workshop", "practice": "Werktafels uit elkaar."})
    client.post(url, {"floor_type": "workshop", "practice": "Plexi tussen de tafels."})
    assert [t.practice for t in rule.translations.all()] == ["Plexi tussen de tafels."]
    edit = client.get(url, {"floor_type": "workshop"})
    assert "Plexi tussen de tafels." in edit.text


def test_a_stale_rule_edit_keeps_the_input_shows_the_change_and_saves_on_a_second_try(
    client, coordinator, rule
):
    client.force_login(coordinator)
    url = reverse("knowledge:rule_edit", args=[rule.pk])
    Rule.objects.filter(pk=rule.pk).update(summary="Iemand anders", version=3)
    mine = {
        "title": rule.title,
        "source": rule.source,
        "effective_from": "2020-03-23",
        "summary": "Mijn tekst",
        "version": 1,
    }

    response = client.post(url, mine)

    assert response.status_code == 200
    rule.refresh_from_db()
    assert rule.summary == "Iemand anders"
    form = response.context["form"]
    assert response.context["stale"] == [
        (
            form.fields["summary"].label,
            "Houd anderhalve meter afstand.",
            "Iemand anders",
            "Mijn tekst",
        )
    ]
    assert form["summary"].value() == "Mijn tekst"
    assert 'name="version" value="3"' in response.text
    assert "Mijn tekst</textarea>" in response.text

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    rule.refresh_from_db()
    assert rule.summary == "Mijn tekst"
    assert rule.version == 4


def test_a_stale_practice_edit_saves_on_a_second_try(client, coordinator, practice):
    client.force_login(coordinator)
    url = reverse("knowledge:practice_edit", args=[practice.pk])
    Practice.objects.filter(pk=practice.pk).update(tags="iemand anders", version=5)
    mine = {"question": practice.question, "tags": "mijn tags", "version": practice.version}

    response = client.post(url, mine)

    assert [row[1:] for row in response.context["stale"]] == [
        ("corona, thuiswerk", "iemand anders", "mijn tags")
    ]
    again = client.post(url, {**mine, "version": response.context["form"]["version"].value()})
    assert again.url == reverse("knowledge:practice_detail", args=[practice.pk])
    practice.refresh_from_db()
    assert practice.tags == "mijn tags"


def test_api_search_is_ranked_scoped_and_paginated(client, coordinator, outsider, practice):
    client.force_login(coordinator)
    body = client.get("/api/v1/knowledge", {"q": "thuiswerk", "limit": 5}).json()
    assert body["count"] == 1
    assert body["items"][0] | {"rank": 0} == {
        "kind": "practice",
        "id": practice.pk,
        "title": practice.question,
        "snippet": body["items"][0]["snippet"],
        "rank": 0,
        "url": reverse("knowledge:practice_detail", args=[practice.pk]),
    }
    missing = client.get("/api/v1/knowledge")
    assert missing.status_code == 422
    assert "q" in missing.json()["errors"]
    client.force_login(outsider)
    assert client.get("/api/v1/knowledge", {"q": "thuiswerk"}).json()["count"] == 0
