"""The knowledge base: practices (how do you handle …?) and imposed rules in practice.

Writes keep a ``KnowledgeEntry`` per practice or rule up to date, explicitly; the search
selector reads it with the database's own full-text search (SQLite FTS5 or PostgreSQL).
"""

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from regie.core.audit import log_action
from regie.core.errors import DomainError
from regie.core.versioning import KEEP, Keep, given, save_new, save_versioned
from regie.network.models import (
    AgendaItem,
    KnowledgeEntry,
    KnowledgeKind,
    Meeting,
    Practice,
    PracticeAnswer,
    Rule,
    RuleTranslation,
)

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8


# Writes ------------------------------------------------------------------------------------


def _check_agenda_item(*, meeting: Meeting | None, agenda_item: AgendaItem | None) -> None:
    """A practice that names an agenda item and a meeting names the item's own meeting."""
    if agenda_item is not None and meeting is not None and agenda_item.meeting_id != meeting.pk:
        raise DomainError({"agenda_item": _("This agenda item belongs to another meeting.")})


@transaction.atomic
def practice_create(
    *,
    actor: Any,
    region: Any,
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
    actor: Any,
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
    *, actor: Any, practice: Practice, organisation: Any, text: str
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
    actor: Any,
    region: Any,
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
    actor: Any,
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
    *, actor: Any, rule: Rule, floor_type: str, practice: str
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


# Reads -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    title: str
    snippet: str
    rank: float


def knowledge_search(*, user: Any, q: str, kind: str = "", limit: int = 20) -> list[SearchHit]:
    """Practices and rules matching every word of ``q`` (as a prefix), best match first.

    A match in the question or title weighs more than one in the answers or the text.
    """
    terms = WORD.findall(q.lower())[:MAX_TERMS]
    if not terms:
        return []
    entries = KnowledgeEntry.objects.visible_to(user)
    if kind:
        entries = entries.filter(kind=kind)
    if connection.vendor == "postgresql":
        return _search_postgresql(entries, terms, limit)
    return _search_sqlite(entries, terms, limit)


def _search_sqlite(entries: Any, terms: list[str], limit: int) -> list[SearchHit]:
    match = " ".join(f'"{term}"*' for term in terms)
    try:
        scope_sql, scope_params = entries.values("pk").query.sql_with_params()
    except EmptyResultSet:  # the user's scope is empty
        return []
    sql = f"""
        SELECT e.kind, e.object_id, e.title,
               snippet(network_knowledgeentry_fts, 1, '', '', ' … ', 16),
               bm25(network_knowledgeentry_fts, 10.0, 1.0) AS score
        FROM network_knowledgeentry_fts
        JOIN network_knowledgeentry e ON e.id = network_knowledgeentry_fts.rowid
        WHERE network_knowledgeentry_fts MATCH %s AND e.id IN ({scope_sql})
        ORDER BY score LIMIT %s
    """  # noqa: S608 — the scope is the ORM's own SQL with its parameters
    with connection.cursor() as cursor:
        cursor.execute(sql, [match, *scope_params, limit])
        rows = cursor.fetchall()
    return [
        SearchHit(kind=k, object_id=i, title=t, snippet=s or "", rank=-score)
        for k, i, t, s, score in rows
    ]


def _search_postgresql(entries: Any, terms: list[str], limit: int) -> list[SearchHit]:
    vector = SearchVector("title", weight="A", config="dutch") + SearchVector(
        "body", weight="B", config="dutch"
    )
    query = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="dutch"
    )
    rows = (
        entries.annotate(search=vector, rank=SearchRank(vector, query))
        .filter(Q(search=query))
        .order_by("-rank", "title")[:limit]
    )
    return [
        SearchHit(
            kind=row.kind,
            object_id=row.object_id,
            title=row.title,
            snippet=_snippet(row.body, terms),
            rank=float(row.rank),
        )
        for row in rows
    ]


def _snippet(body: str, terms: list[str], width: int = 120) -> str:
    lowered = body.lower()
    positions = [lowered.find(term) for term in terms if term in lowered]
    start = max(min(positions) - 30, 0) if positions else 0
    text = body[start : start + width].replace("\n", " ")
    return ("… " if start else "") + text + (" …" if start + width < len(body) else "")
