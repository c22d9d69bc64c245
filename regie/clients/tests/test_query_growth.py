"""The client list and the clients' API: a fixed number of queries whatever the number of
clients, and the current step read for the page's rows only (not for every client before the
LIMIT, which took half a second at 3,000 clients)."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regie.clients.tests import factories
from regie.tests.queries import assert_no_growth


@pytest.fixture
def four_more_clients(home_region, home_municipality, partner_organisation):
    def create() -> None:
        for month in range(1, 5):
            factories.trajectory_with_steps(
                home_region,
                home_municipality,
                partner_organisation,
                ("CMW", datetime.date(2019, month, 1), None, ""),
            )

    return create


def _client_queries(captured: list[dict[str, str]]) -> list[str]:
    """The SQL of the queries that read the rows of the clients' table."""
    return [query["sql"] for query in captured if 'FROM "clients_client"' in query["sql"]]


def test_the_client_list_does_not_grow_with_its_clients(
    client, coordinator, own_client, four_more_clients, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = reverse("clients:client_list")
    assert_no_growth(
        client, url, add_rows=four_more_clients, max_num_queries=django_assert_max_num_queries
    )
    page = client.get(url).text
    assert page.count("CMW · De Werkplaats") == 4
    assert "AZ · De Werkplaats" in page


def test_the_client_list_reads_the_current_step_for_the_page_only(
    client, coordinator, own_client, four_more_clients, settings
):
    settings.REGIE_PAGE_SIZE = 2
    four_more_clients()
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as context:
        page = client.get(reverse("clients:client_list") + "?sort=code").text
    listing = [sql for sql in _client_queries(context.captured_queries) if "LIMIT" in sql]
    assert listing, "the page reads its clients with a LIMIT"
    assert all("clients_step" not in sql for sql in listing), listing
    assert page.count(" · De Werkplaats") == 2


def test_the_clients_api_does_not_grow_and_reads_the_steps_after_the_limit(
    client, coordinator, own_client, four_more_clients, django_assert_max_num_queries
):
    client.force_login(coordinator)
    url = "/api/v1/clients?limit=3"
    assert_no_growth(
        client, url, add_rows=four_more_clients, max_num_queries=django_assert_max_num_queries
    )
    with CaptureQueriesContext(connection) as context:
        body = client.get(url).json()
    assert body["count"] == 5
    # By name: the four "Cliëntnaam…" clients come before Vandenberghe.
    assert [item["current_measure"] for item in body["items"]] == ["CMW", "CMW", "CMW"]
    listing = [sql for sql in _client_queries(context.captured_queries) if "LIMIT" in sql]
    assert listing
    assert all("clients_step" not in sql for sql in listing), listing


def test_one_client_of_the_api_has_its_current_measure(client, coordinator, own_client):
    client.force_login(coordinator)
    body = client.get(f"/api/v1/clients/{own_client.pk}").json()
    assert body["current_measure"] == "AZ"


def test_the_client_file_does_not_grow_with_its_referrals_history(
    client, counsellor, own_client, django_assert_max_num_queries
):
    def referral() -> None:
        made = factories.ReferralFactory.create(client=own_client)
        made.referred_on = datetime.date(2019, 1, 15)
        made.save()

    def four_more() -> None:
        for _ in range(4):
            referral()

    referral()
    client.force_login(counsellor)
    url = reverse("clients:client_detail", args=[own_client.pk])
    assert_no_growth(client, url, add_rows=four_more, max_num_queries=django_assert_max_num_queries)
    assert client.get(url).text.count("15-1-2019") >= 5
