"""How the busy models load a relation a page did not ask for: for all their peers at once.

The models listed on pages with many rows (clients, actions, organisations, round plans …) take
``PeersManager`` as their default manager, so their querysets use Django's ``FETCH_PEERS``: reading
``row.organisation`` on one row of a list loads the organisations of every row fetched with it in
one query. A forgotten ``select_related`` then costs one query, not one per row; the selectors
still load what their page shows (tests switch the mode to ``FETCH_RAISE``, see
``regie/tests/n_plus_one.py``). Related objects fetched this way take the mode of the row that
fetched them, and a model's ``_base_manager`` and history manager stay Django's.

    objects = PeersManager.from_queryset(OrganisationQuerySet)()
"""

from typing import ClassVar

from django.db import models
from django.db.models.fetch_modes import FetchMode


class PeersManager[M: models.Model](models.Manager[M]):
    """A default manager whose querysets fetch a missing relation for all their peers."""

    default_fetch_mode: ClassVar[FetchMode] = models.FETCH_PEERS

    def get_queryset(self) -> models.QuerySet[M]:
        return super().get_queryset().fetch_mode(self.default_fetch_mode)
