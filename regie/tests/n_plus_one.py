"""In tests, an N+1 in a request fails the test, and a page can be made to refuse lazy loads.

- **django-zeal**, installed by the root ``conftest.py`` (``install``), watches every request of
  the test suite through its middleware and raises ``zeal.NPlusOneError`` when the same relation
  is loaded row by row (or the same ``.get()`` runs in a loop) within one request. It is scoped
  per request, never around a whole test: a test that calls ``.get()`` twice is not an N+1.
  Selector tests scope it themselves with ``zeal.zeal_context()`` around the selector and the
  iteration of what its page renders. ``ALLOWLIST`` holds what may still load row by row, each
  entry with its reason.
- **``lazy_loads_raise()``** switches the busy models (``regie.core.fetching.PeersManager``) from
  ``FETCH_PEERS`` to ``FETCH_RAISE``: inside it, reading a relation or deferred field a queryset
  did not load raises ``FieldFetchBlocked``, so a list page rendered inside it proves its
  selector loads what the page shows.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.apps import apps
from django.conf import settings
from django.db import models
from zeal.listeners import AllowListEntry

from regie.core.fetching import PeersManager

ZEAL_MIDDLEWARE = "zeal.middleware.zeal_middleware"

ALLOWLIST: list[AllowListEntry] = [
    # Django's session store reads the one session row again within a login or logout request
    # (``cycle_key``, ``flush``): the same row twice, not a row per item.
    {"model": "sessions.Session", "field": "get()"},
]


def install() -> None:
    """What ``"zeal"`` in ``INSTALLED_APPS`` would do, for the test run only: the settings module
    stays as in production. Django is set up already (pytest-django), so the app's ``ready()``
    is run by hand: it patches the ORM's descriptors before any request."""
    from zeal.constants import initialize_app_registry
    from zeal.patch import patch

    initialize_app_registry()
    patch()
    settings.ZEAL_RAISE = True
    settings.ZEAL_ALLOWLIST = [entry for entry in ALLOWLIST if _installed(entry["model"])]
    if ZEAL_MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [ZEAL_MIDDLEWARE, *settings.MIDDLEWARE]


def _installed(label: str) -> bool:
    """zeal refuses an entry for a model that is not installed: an app may be removed (the
    plugin test runs the project without ``logistics``)."""
    try:
        apps.get_model(label)
    except LookupError:
        return False
    return True


@contextmanager
def lazy_loads_raise() -> Iterator[None]:
    """Inside the block, the busy models' querysets raise on any lazy load (``FETCH_RAISE``)."""
    before = PeersManager.default_fetch_mode
    PeersManager.default_fetch_mode = models.FETCH_RAISE
    try:
        yield
    finally:
        PeersManager.default_fetch_mode = before
