"""Reads of the knowledge base: one ranked full-text search over practices and rules.

SQLite searches ``KnowledgeEntry`` through its FTS5 table (``network_knowledgeentry_fts``, made
by ``network/migrations/0002_knowledge_search.py``), PostgreSQL through a Dutch text search
vector with a GIN index; both answer the same ``SearchHit`` list.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Q, QuerySet

from regie.core.permissions import Actor
from regie.knowledge.models import KnowledgeEntry, Practice, Rule

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 8
RECENT = 10


def recent_practices(*, user: Actor) -> QuerySet[Practice]:
    """The newest practices of the user's scope, for the knowledge base's home page."""
    return Practice.objects.visible_to(user)[:RECENT]


def recent_rules(*, user: Actor) -> QuerySet[Rule]:
    """The rules of the user's scope that took effect last."""
    return Rule.objects.visible_to(user)[:RECENT]


@dataclass(frozen=True)
class SearchHit:
    kind: str
    object_id: int
    title: str
    snippet: str
    rank: float


def knowledge_search(*, user: Actor, q: str, kind: str = "", limit: int = 20) -> list[SearchHit]:
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


def _search_sqlite(
    entries: QuerySet[KnowledgeEntry], terms: list[str], limit: int
) -> list[SearchHit]:
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


def _search_postgresql(
    entries: QuerySet[KnowledgeEntry], terms: list[str], limit: int
) -> list[SearchHit]:
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
