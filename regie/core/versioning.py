"""Optimistic locking: an edit names the version it started from and loses to nobody."""

from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from regie.core.errors import StaleEditError


def save_versioned[M: models.Model](
    *, instance: M, changes: dict[str, Any], expected_version: int, actor: Any
) -> M:
    """Apply ``changes`` to the stored row if nobody saved it since ``expected_version``.

    Validates the result with ``full_clean`` and records ``actor`` in the history.
    """
    with transaction.atomic():
        model = type(instance)
        current = model._default_manager.select_for_update().get(pk=instance.pk)
        if current.version != expected_version:  # type: ignore[attr-defined]
            raise StaleEditError(
                _(
                    "Someone else changed this record while you were editing it. "
                    "Your changes were not saved: reload the page to see the new version "
                    "and make your changes again."
                ),
                code="stale",
            )
        for field, value in changes.items():
            setattr(current, field, value)
        current.version += 1  # type: ignore[attr-defined]
        current._history_user = actor  # type: ignore[attr-defined]
        current.full_clean()
        current.save()
        return current


def save_new[M: models.Model](*, instance: M, actor: Any) -> M:
    """Validate and insert ``instance``, recording ``actor`` as the author of the first version."""
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.full_clean()
    instance.save()
    return instance
