"""The knowledge base's JSON API: one ranked search over practices and rules."""

from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from regie.core.api import ApiRequest, ErrorOut, ListPagination
from regie.knowledge.models import KnowledgeKind
from regie.knowledge.selectors import SearchHit, knowledge_search

router = Router()
MAX_HITS = 200


class KnowledgeFilters(Schema):
    q: str = Field(..., min_length=1, max_length=200, description="Words to look for.")
    kind: KnowledgeKind | None = Field(None, description="Only practices or only rules.")


class KnowledgeHitOut(Schema):
    kind: KnowledgeKind
    id: int
    title: str
    snippet: str
    rank: float = Field(description="Higher is a better match.")
    url: str


@router.get(
    "/knowledge",
    response={200: list[KnowledgeHitOut], 401: ErrorOut, 422: ErrorOut},
    tags=["knowledge"],
)
@paginate(ListPagination)
def knowledge_list(request: ApiRequest, filters: Query[KnowledgeFilters]) -> list[KnowledgeHitOut]:
    """Practices and rules of the user's region matching every word (as a prefix), best first."""
    hits = knowledge_search(user=request.auth, q=filters.q, kind=filters.kind or "", limit=MAX_HITS)
    return [_hit_out(hit) for hit in hits]


def _hit_out(hit: SearchHit) -> KnowledgeHitOut:
    route = (
        "knowledge:rule_detail" if hit.kind == KnowledgeKind.RULE else "knowledge:practice_detail"
    )
    return KnowledgeHitOut(
        kind=KnowledgeKind(hit.kind),
        id=hit.object_id,
        title=hit.title,
        snippet=hit.snippet,
        rank=hit.rank,
        url=reverse(route, args=[hit.object_id]),
    )
