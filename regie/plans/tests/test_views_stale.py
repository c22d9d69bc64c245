"""A stale edit of a plan or budget record keeps the input, shows what changed, and saves on
a second try (``regie.core.versioning.versioned_edit``)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from regie.plans import services
from regie.plans.models import BudgetLine

pytestmark = pytest.mark.django_db


def test_a_stale_budget_line_edit_keeps_the_input_shows_the_changes_and_saves_again(
    client, coordinator, budget
):
    line = budget["line"]
    client.force_login(coordinator)
    url = reverse("plans:budget_line_edit", args=[line.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.budget_line_update(
        actor=coordinator,
        line=line,
        expected_version=line.version,
        title="ROSE, Trefdag en folders",
        amount=Decimal("5000"),
    )
    mine = {"title": "ROSE en Trefdag", "amount": "6000", "version": opened}

    response = client.post(url, mine)

    assert response.status_code == 200
    form = response.context["form"]
    assert response.context["stale"] == [
        (
            form.fields["title"].label,
            "ROSE en Trefdag",
            "ROSE, Trefdag en folders",
            "ROSE en Trefdag",
        ),
        (form.fields["amount"].label, "4.500,00", "5.000,00", "6.000,00"),
    ]
    assert "<td>4.500,00</td><td>5.000,00</td><td>6.000,00</td>" in response.text
    assert form["amount"].value() == "6000"
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("5000.00")

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    line.refresh_from_db()
    assert (line.title, line.amount, line.version) == (
        "ROSE en Trefdag",
        Decimal("6000.00"),
        opened + 2,
    )


def test_a_grant_recorded_meanwhile_shows_the_stored_values_and_saves_again(
    client, coordinator, home_region
):
    client.force_login(coordinator)
    url = reverse("plans:grant_edit", args=["w13", 2024])
    assert client.get(url).context["form"]["version"].value() == 0
    services.grant_set(
        actor=coordinator, region=home_region, year=2024, amount=Decimal("80000"), notes="Van A"
    )
    mine = {"amount": "81000", "funder": "DWSE", "notes": "Van B", "version": 0}

    response = client.post(url, mine)

    assert response.status_code == 200
    rows = {row.label: row[1:] for row in response.context["stale"]}
    form = response.context["form"]
    assert rows[form.fields["notes"].label] == ("(onbekend)", "Van A", "Van B")
    assert rows[form.fields["amount"].label][1:] == ("80.000,00", "81.000,00")
    assert "Van B</textarea>" in response.text

    again = client.post(url, {**mine, "version": form["version"].value()})

    assert again.status_code == 302
    grant = home_region.grants.get(year=2024)
    assert (grant.amount, grant.notes) == (Decimal("81000.00"), "Van B")
