"""Who may see and change the knowledge base: shared across the region's network."""

from typing import TYPE_CHECKING

from django.db import models

from regie.core.permissions import Actor, Role, in_region, role_of

if TYPE_CHECKING:
    from regie.knowledge.models import (  # noqa: F401 (names used in string annotations)
        KnowledgeEntry,
        Practice,
        Rule,
    )


class _RegionKnowledgeQuerySet[M: models.Model](models.QuerySet[M]):
    def visible_to(self, actor: Actor) -> "_RegionKnowledgeQuerySet[M]":
        """Knowledge is shared across the region's network; viewers see none of it."""
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR | Role.PARTNER | Role.COUNSELLOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()

    def editable_by(self, actor: Actor) -> "_RegionKnowledgeQuerySet[M]":
        match role_of(actor):
            case Role.ADMIN:
                return self.all()
            case Role.COORDINATOR:
                return self.filter(in_region(actor))
            case _:
                return self.none()


class PracticeQuerySet(_RegionKnowledgeQuerySet["Practice"]):
    pass


class RuleQuerySet(_RegionKnowledgeQuerySet["Rule"]):
    pass


class KnowledgeEntryQuerySet(_RegionKnowledgeQuerySet["KnowledgeEntry"]):
    pass
