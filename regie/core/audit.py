"""The explicit audit trail: services call ``log_action`` for business events."""

from collections.abc import Mapping
from typing import TYPE_CHECKING, cast

from django.contrib.contenttypes.models import ContentType
from django.db import models

from regie.core.models import AuditEntry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, _User

    from regie.core.permissions import Actor


def log_action(
    *,
    actor: "Actor | AnonymousUser | None",
    action: str,
    target: models.Model | None = None,
    details: Mapping[str, object] | None = None,
) -> AuditEntry:
    entry = AuditEntry(
        # Core names users as ``Actor`` (it imports no ``accounts``): a signed-in one is the user.
        actor=cast("_User", actor) if getattr(actor, "is_authenticated", False) else None,
        action=action,
        details=details or {},
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:200]
    entry.save()
    return entry
