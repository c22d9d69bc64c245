"""Writes to the knowledge base: practices (how do you handle …?) and imposed rules in practice.

Every write keeps the ``KnowledgeEntry`` of its practice or rule up to date, explicitly; the
search selector (``selectors.knowledge_search``) reads it with the database's own full-text
search (SQLite FTS5 or PostgreSQL).
"""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.knowledge.models import (
    KnowledgeEntry,
    KnowledgeKind,
    Practice,
    PracticeAnswer,
    Rule,
    RuleTranslation,
)
from regie.network.models import AgendaItem, Meeting
from regie.registry.models import Organisation, Region


def _check_agenda_item(*, meeting: Meeting | None, agenda_item: AgendaItem | None) -> None:
    """A practice that names an agenda item and a meeting names the item's own meeting."""
    if agenda_item is not None and meeting is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError({"agenda_item": _("This agenda item belongs to another meeting.")})


@transaction.atomic
def practice_create(
    *,
    actor: User,
    region: Region,
    question: str,
    context: str = "",
    tags: str = "",
    meeting: Meeting | None = None,
    agenda_item: AgendaItem | None = None,
) -> Practice:
    _check_agenda_item(meeting=meeting, agenda_item=agenda_item)
    practice = Practice(
        region=region,
        created_by=actor,
        question=question,
        context=context,
        tags=tags,
        meeting=meeting,
        agenda_item=agenda_item,
    )
    practice = save_new(instance=practice, actor=actor)
    knowledge_index_practice(practice=practice)
    log_action(actor=actor, action="practice.create", target=practice)
    return practice


@transaction.atomic
def practice_update(
    *,
    actor: User,
    practice: Practice,
    expected_version: int,
    question: str | Keep = KEEP,
    context: str | Keep = KEEP,
    tags: str | Keep = KEEP,
    meeting: Meeting | Keep | None = KEEP,
    agenda_item: AgendaItem | Keep | None = KEEP,
) -> Practice:
    _check_agenda_item(
        meeting=practice.meeting if meeting is KEEP else meeting,
        agenda_item=practice.agenda_item if agenda_item is KEEP else agenda_item,
    )
    changes = given(
        question=question, context=context, tags=tags, meeting=meeting, agenda_item=agenda_item
    )
    practice = save_versioned(
        instance=practice, changes=changes, expected_version=expected_version, actor=actor
    )
    knowledge_index_practice(practice=practice)
    return practice


@transaction.atomic
def practice_answer_add(
    *, actor: User, practice: Practice, organisation: Organisation | None, text: str
) -> PracticeAnswer:
    answer = save_new(
        instance=PracticeAnswer(practice=practice, organisation=organisation, text=text),
        actor=actor,
    )
    knowledge_index_practice(practice=practice)
    return answer


def _check_period(*, start: datetime.date | None, end: datetime.date | None) -> None:
    if start and end and end < start:
        raise DomainError({"effective_until": _("The end date is before the start date.")})


@transaction.atomic
def rule_create(
    *,
    actor: User,
    region: Region,
    title: str,
    source: str,
    effective_from: datetime.date,
    summary: str,
    source_url: str = "",
    effective_until: datetime.date | None = None,
    meeting: Meeting | None = None,
) -> Rule:
    _check_period(start=effective_from, end=effective_until)
    rule = Rule(
        region=region,
        title=title,
        source=source,
        source_url=source_url,
        effective_from=effective_from,
        effective_until=effective_until,
        summary=summary,
        meeting=meeting,
    )
    rule = save_new(instance=rule, actor=actor)
    knowledge_index_rule(rule=rule)
    log_action(actor=actor, action="rule.create", target=rule)
    return rule


@transaction.atomic
def rule_update(
    *,
    actor: User,
    rule: Rule,
    expected_version: int,
    title: str | Keep = KEEP,
    source: str | Keep = KEEP,
    source_url: str | Keep = KEEP,
    effective_from: datetime.date | Keep = KEEP,
    effective_until: datetime.date | Keep | None = KEEP,
    summary: str | Keep = KEEP,
) -> Rule:
    _check_period(
        start=rule.effective_from if effective_from is KEEP else effective_from,
        end=rule.effective_until if effective_until is KEEP else effective_until,
    )
    changes = given(
        title=title,
        source=source,
        source_url=source_url,
        effective_from=effective_from,
        effective_until=effective_until,
        summary=summary,
    )
    rule = save_versioned(
        instance=rule, changes=changes, expected_version=expected_version, actor=actor
    )
    knowledge_index_rule(rule=rule)
    return rule


@transaction.atomic
def rule_translation_set(
    *, actor: User, rule: Rule, floor_type: str, practice: str
) -> RuleTranslation:
    """Say how ``rule`` is applied on one type of work floor (replacing what was said)."""
    translation = RuleTranslation.objects.filter(rule=rule, floor_type=floor_type).first()
    if translation is None:
        translation = RuleTranslation(rule=rule, floor_type=floor_type)
    translation.practice = practice
    translation = save_new(instance=translation, actor=actor)
    knowledge_index_rule(rule=rule)
    return translation


def knowledge_index_practice(*, practice: Practice) -> None:
    answers = [
        f"{answer.organisation or ''} {answer.text}"
        for answer in practice.answers.select_related("organisation")
    ]
    _index(
        kind=KnowledgeKind.PRACTICE,
        obj=practice,
        title=practice.question,
        body="\n".join([practice.context, practice.tags, *answers]),
    )


def knowledge_index_rule(*, rule: Rule) -> None:
    translations = [
        f"{translation.get_floor_type_display()}: {translation.practice}"
        for translation in rule.translations.all()
    ]
    _index(
        kind=KnowledgeKind.RULE,
        obj=rule,
        title=rule.title,
        body="\n".join([rule.source, rule.summary, *translations]),
    )


def _index(*, kind: str, obj: Practice | Rule, title: str, body: str) -> None:
    KnowledgeEntry.objects.update_or_create(
        kind=kind,
        object_id=obj.pk,
        defaults={"region_id": obj.region_id, "title": title, "body": body},
    )


def knowledge_reindex() -> int:
    """Rebuild every entry (after a restore or a bulk change); returns the count."""
    count = 0
    with transaction.atomic():
        KnowledgeEntry.objects.all().delete()
        for practice in Practice.objects.all():
            knowledge_index_practice(practice=practice)
            count += 1
        for rule in Rule.objects.all():
            knowledge_index_rule(rule=rule)
            count += 1
    return count
