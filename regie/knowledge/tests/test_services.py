import datetime

import pytest

from regie.core.errors import DomainError
from regie.knowledge import selectors, services
from regie.knowledge.models import KnowledgeEntry, Practice
from regie.network.tests.factories import AgendaItemFactory, MeetingFactory
from regie.registry.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(coordinator, home_region, other_region):
    plexi = services.practice_create(
        actor=coordinator,
        region=home_region,
        question="Hoe gaan jullie om met plexischermen op de werkvloer?",
        context="Afstand houden aan de werktafels.",
        tags="corona, werkvloer",
    )
    shifts = services.practice_create(
        actor=coordinator,
        region=home_region,
        question="Hoe verdelen jullie groepen in shiften?",
        context="Vaste bubbels per dag.",
        tags="corona",
    )
    services.practice_answer_add(
        actor=coordinator,
        practice=shifts,
        organisation=OrganisationFactory.create(region=home_region, name="Atelier Anker"),
        text="Wij zetten plexi tussen de bubbels en werken in twee shiften.",
    )
    rule = services.rule_create(
        actor=coordinator,
        region=home_region,
        title="Mondmasker verplicht in gedeelde ruimtes",
        source="Ministerieel besluit",
        effective_from=datetime.date(2020, 7, 11),
        summary="Een mondmasker is verplicht waar de afstand niet kan worden gehouden.",
    )
    services.rule_translation_set(
        actor=coordinator, rule=rule, floor_type="workshop", practice="Maskers aan de inkom."
    )
    elsewhere = services.practice_create(
        actor=coordinator,
        region=other_region,
        question="Plexischermen in een andere regio",
    )
    return {"plexi": plexi, "shifts": shifts, "rule": rule, "elsewhere": elsewhere}


def test_a_match_in_the_question_ranks_above_one_in_an_answer(coordinator, library):
    hits = selectors.knowledge_search(user=coordinator, q="plexi")
    assert [hit.object_id for hit in hits] == [library["plexi"].pk, library["shifts"].pk]
    assert hits[0].rank > hits[1].rank


def test_every_word_must_match_as_a_prefix(coordinator, library):
    hits = selectors.knowledge_search(user=coordinator, q="shift bubbel")
    assert [hit.object_id for hit in hits] == [library["shifts"].pk]


def test_rules_and_their_translations_are_found(coordinator, library):
    hits = selectors.knowledge_search(user=coordinator, q="maskers inkom")
    assert [(hit.kind, hit.object_id) for hit in hits] == [("rule", library["rule"].pk)]
    assert selectors.knowledge_search(user=coordinator, q="plexi", kind="rule") == []


def test_search_is_scoped_to_the_region(coordinator, outsider, viewer, library):
    assert library["elsewhere"].pk not in {
        hit.object_id for hit in selectors.knowledge_search(user=coordinator, q="plexischermen")
    }
    assert [hit.object_id for hit in selectors.knowledge_search(user=outsider, q="plexi")] == [
        library["elsewhere"].pk
    ]
    assert selectors.knowledge_search(user=viewer, q="plexi") == []


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("", []),
        ("   ", []),
        ('"*^:()', []),
        ("AND OR NOT", []),  # words to look for, not operators
        ("plexi*'); DROP", []),  # no entry has both words
        ('plexi"*', ["plexi", "shifts"]),
        ("(plexi) ^werkvloer:", ["plexi"]),
    ],
)
def test_odd_input_never_breaks_the_search(coordinator, library, q, found):
    entries = KnowledgeEntry.objects.count()

    hits = selectors.knowledge_search(user=coordinator, q=q)

    assert [hit.object_id for hit in hits] == [library[name].pk for name in found]
    assert KnowledgeEntry.objects.count() == entries
    assert selectors.knowledge_search(user=coordinator, q="mondmasker")


def test_edits_update_the_index(coordinator, library):
    practice = library["plexi"]
    services.practice_update(
        actor=coordinator,
        practice=practice,
        expected_version=practice.version,
        question="Hoe gaan jullie om met handgel?",
    )
    assert selectors.knowledge_search(user=coordinator, q="handgel")[0].object_id == practice.pk
    assert practice.pk not in {
        hit.object_id for hit in selectors.knowledge_search(user=coordinator, q="plexischermen")
    }


def test_reindex_rebuilds_the_same_entries(coordinator, library):
    before = set(KnowledgeEntry.objects.values_list("kind", "object_id", "title"))
    assert services.knowledge_reindex() == 4
    assert set(KnowledgeEntry.objects.values_list("kind", "object_id", "title")) == before
    assert selectors.knowledge_search(user=coordinator, q="plexi")


def test_rebuild_command_restores_a_lost_index(coordinator, library):
    import io

    from django.core.management import call_command

    KnowledgeEntry.objects.all().delete()
    assert selectors.knowledge_search(user=coordinator, q="plexi") == []
    output = io.StringIO()
    call_command("rebuild_knowledge_index", stdout=output)
    assert output.getvalue().startswith("4 ")
    assert selectors.knowledge_search(user=coordinator, q="plexi")


def test_a_practice_names_an_agenda_item_of_its_own_meeting(coordinator, home_region):
    item = AgendaItemFactory.create(meeting__body__region=home_region)
    other = MeetingFactory.create(body=item.meeting.body)
    with pytest.raises(DomainError) as refused:
        services.practice_create(
            actor=coordinator, region=home_region, question="Hoe?", meeting=other, agenda_item=item
        )
    assert list(refused.value.message_dict) == ["agenda_item"]
    assert not Practice.objects.exists()
    practice = services.practice_create(
        actor=coordinator,
        region=home_region,
        question="Hoe?",
        meeting=item.meeting,
        agenda_item=item,
    )
    with pytest.raises(DomainError) as refused:
        services.practice_update(
            actor=coordinator, practice=practice, expected_version=practice.version, meeting=other
        )
    assert list(refused.value.message_dict) == ["agenda_item"]
    practice.refresh_from_db()
    assert practice.meeting == item.meeting


def test_a_rule_ends_after_it_starts(coordinator, library):
    rule = library["rule"]
    with pytest.raises(DomainError) as refused:
        services.rule_update(
            actor=coordinator,
            rule=rule,
            expected_version=rule.version,
            effective_until=datetime.date(2020, 7, 1),
        )
    assert list(refused.value.message_dict) == ["effective_until"]
    rule.refresh_from_db()
    assert rule.effective_until is None
    with pytest.raises(DomainError) as refused:
        services.rule_create(
            actor=coordinator,
            region=rule.region,
            title="Omgekeerd",
            source="MB",
            effective_from=datetime.date(2020, 7, 11),
            effective_until=datetime.date(2020, 7, 10),
            summary="…",
        )
    assert list(refused.value.message_dict) == ["effective_until"]
