"""Query growth: a page's queries are counted at one row and must not grow with more rows.

Django's fetch modes and an N+1 detector do not see a per-row ``.filter()``, a history
manager, a subquery computed before a LIMIT or a missing pagination; a count does. The count with
more rows is taken with lazy loads refused (``lazy_loads_raise``): what the page shows of its rows
comes with its selector, not one relation at a time.
"""

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from regie.tests.n_plus_one import lazy_loads_raise


def queries_of(client: Client, url: str) -> int:
    """The number of queries one GET of ``url`` runs (after a first GET warms the caches)."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.status_code
    return len(context.captured_queries)


def assert_no_growth(
    client: Client,
    url: str,
    *,
    add_rows: Callable[[], Any],
    max_num_queries: Callable[[int], AbstractContextManager[Any]],
) -> int:
    """Counts ``url`` at the rows that exist, adds rows, and checks the count did not grow.

    ``max_num_queries`` is pytest-django's ``django_assert_max_num_queries`` fixture.
    """
    before = queries_of(client, url)
    add_rows()
    client.get(url)
    with max_num_queries(before), lazy_loads_raise():
        response = client.get(url)
    assert response.status_code == 200
    return before
