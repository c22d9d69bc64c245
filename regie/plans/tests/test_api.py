"""The plan's API: actions with their status history, budgets as decimal strings, scoping,
409 on a stale version and field errors on bad input."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from regie.accounts.models import User
from regie.plans.models import ActionStatus, CarryOverStatus
from regie.plans.tests.factories import ActionFactory, CarryOverFactory

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/actions"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client: Client, url: str, body: Any) -> Any:
    return client.post(url, body, content_type="application/json")


def test_actions_of_a_year_with_their_status_history(coordinator, plan, home_region):
    ActionFactory.create(region=home_region, year=2019, title="Vorig jaar")
    response = logged_in(coordinator).get(ACTIONS, {"year": 2020})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_title = {item["title"]: item for item in body["items"]}
    clauses = by_title["Infosessie sociale clausules"]
    assert clauses["pillar"] == "OD-1"
    assert clauses["status"] == "postponed"
    assert clauses["planned_budget"] == "3000.00"
    assert clauses["status_history"] == [
        {
            "date": "2020-01-06",
            "from_status": None,
            "to_status": "planned",
            "reason": "",
            "new_start": None,
            "new_end": None,
        },
        {
            "date": "2020-03-16",
            "from_status": "planned",
            "to_status": "postponed",
            "reason": "corona",
            "new_start": "2021-03-01",
            "new_end": "2021-06-30",
        },
    ]
    in_2021 = logged_in(coordinator).get(ACTIONS, {"year": 2021}).json()
    assert [item["title"] for item in in_2021["items"]] == ["Infosessie sociale clausules"]


def test_partners_and_viewers_see_no_money(partner, viewer, plan):
    for user in (partner, viewer):
        items = logged_in(user).get(ACTIONS).json()["items"]
        assert items
        assert {item["planned_budget"] for item in items} == {None}
    assert [i["title"] for i in logged_in(partner).get(ACTIONS).json()["items"]] == ["ROSE"]


def test_the_list_takes_a_fixed_number_of_queries(coordinator, home_region, plan):
    client = logged_in(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get(ACTIONS)
        return len(captured.captured_queries)

    few = count()
    for _ in range(10):
        ActionFactory.create(region=home_region)
    assert count() == few


def test_a_status_change_needs_its_reason(coordinator, plan):
    action = plan["rose"]
    client = logged_in(coordinator)
    response = post(
        client, f"{ACTIONS}/{action.pk}/status", {"version": action.version, "status": "on_hold"}
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"reason"}
    response = post(
        client,
        f"{ACTIONS}/{action.pk}/status",
        {"version": action.version, "status": "on_hold", "reason": "corona", "date": "2020-12-01"},
    )
    assert response.status_code == 200
    assert response.json()["status_history"][-1]["reason"] == "corona"


def test_a_stale_version_answers_409_and_saves_nothing(coordinator, plan):
    action = plan["rose"]
    client = logged_in(coordinator)
    url = f"{ACTIONS}/{action.pk}"
    assert (
        client.patch(
            url, {"version": action.version, "title": "ROSE 2020"}, content_type="application/json"
        ).json()["title"]
        == "ROSE 2020"
    )
    response = client.patch(
        url, {"version": action.version, "title": "Ander"}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "version" in response.json()["errors"]
    assert client.get(url).json()["title"] == "ROSE 2020"
    response = post(
        client, f"{url}/status", {"version": action.version, "status": ActionStatus.RUNNING}
    )
    assert response.status_code == 409


def test_a_negative_budget_names_the_field(coordinator, plan):
    action = plan["rose"]
    response = logged_in(coordinator).patch(
        f"{ACTIONS}/{action.pk}",
        {"version": action.version, "planned_budget": "-10.00"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert set(response.json()["errors"]) == {"planned_budget"}


def test_the_budget_as_decimal_strings(coordinator, viewer, budget, home_region):
    CarryOverFactory.create(
        region=home_region, year=2020, amount="70000.00", status=CarryOverStatus.SUBMITTED
    )
    for user in (coordinator, viewer):
        body = logged_in(user).get("/api/v1/budgets/w13/2020").json()
        assert body == {
            "region": "w13",
            "year": 2020,
            "grant": "75000.00",
            "carried_in": "0.00",
            "income": "75000.00",
            "spent": "1642.50",
            "committed": "300.00",
            "unspent": "73357.50",
            "available": "73057.50",
            "forecast_spent": "1642.50",  # 2020 is over: the forecast is what was spent
            "forecast_unspent": "73357.50",
            "carry_over": {
                "status": "submitted",
                "amount": "70000.00",
                "approved_amount": None,
                "submitted_on": None,
                "decision_date": None,
                "decision_reference": "",
            },
        }


def test_an_approved_carry_over_is_income_of_the_next_year(coordinator, budget, home_region):
    CarryOverFactory.create(
        region=home_region,
        year=2020,
        amount="70000.00",
        approved_amount="65000.00",
        status=CarryOverStatus.APPROVED,
    )
    body = logged_in(coordinator).get("/api/v1/budgets/w13/2021").json()
    assert (body["grant"], body["carried_in"], body["income"], body["carry_over"]) == (
        None,
        "65000.00",
        "65000.00",
        None,
    )


@pytest.mark.parametrize("url", ["/api/v1/budgets/other/2020", "/api/v1/budgets/w13/1999"])
def test_a_foreign_region_or_an_impossible_year_is_404(coordinator, other_region, url):
    response = logged_in(coordinator).get(url)
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "errors"}
