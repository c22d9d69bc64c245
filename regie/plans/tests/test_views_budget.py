"""The budget page: balance in Belgian format, expenses with their errors, and scoping."""

import datetime
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from regie.plans.models import BudgetLine, Expense, Grant
from regie.plans.services import grant_set
from regie.plans.tests.factories import ExpenseFactory
from regie.registry.models import Municipality, Population

pytestmark = pytest.mark.django_db

BUDGET = reverse("plans:budget", args=["w13", 2020])


def export(fmt: str) -> str:
    return reverse("plans:budget_export", args=["w13", 2020, fmt])


def test_the_balance_in_belgian_format(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.get(BUDGET)
    assert response.status_code == 200
    text = response.text
    assert "€ 75.000,00" in text  # grant
    assert "€ 1.642,50" in text  # spent
    assert "€ 300,00" in text  # committed
    assert "€ 73.357,50" in text  # unspent
    assert "€ 73.057,50" in text  # available
    assert "Ontmoetingscentrum De Schakel" in text


def test_a_viewer_sees_the_totals_only(client, viewer, budget):
    client.force_login(viewer)
    response = client.get(BUDGET)
    assert response.status_code == 200
    assert "€ 73.357,50" in response.text
    assert "Ontmoetingscentrum De Schakel" not in response.text
    assert "ROSE en Trefdag" not in response.text  # no budget lines either
    assert response.context["budget"].expenses == []
    workbook = load_workbook(io.BytesIO(client.get(export("xlsx")).content))
    assert len(workbook.worksheets) == 1
    assert client.get(reverse("plans:expense_edit", args=[budget["paid"].pk])).status_code == 404


@pytest.mark.parametrize("role", ["partner", "counsellor", "outsider"])
def test_others_get_404(client, cast, budget, role):
    client.force_login(cast[role])
    assert client.get(BUDGET).status_code == 404
    assert client.get(export("xlsx")).status_code == 404


def test_record_an_expense(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.post(
        reverse("plans:expense_create", args=["w13", 2020]),
        {
            "date": "2020-05-12",
            "amount": "3.186,75",
            "supplier": "Computerhuis Bitwijs",
            "description": "Tablets",
            "status": "paid",
            "line": budget["line"].pk,
            "version": 1,
        },
    )
    assert response.status_code == 302
    assert Expense.objects.get(supplier="Computerhuis Bitwijs").amount == Decimal("3186.75")
    assert "€ 70.170,75" in client.get(BUDGET).text  # unspent


@pytest.mark.parametrize(
    ("field", "value"),
    [("amount", "-12,50"), ("amount", "0"), ("amount", "twaalf"), ("date", "2021-01-04")],
)
def test_bad_expenses_are_refused_beside_the_field(client, coordinator, budget, field, value):
    client.force_login(coordinator)
    data = {
        "date": "2020-05-12",
        "amount": "12,50",
        "supplier": "X",
        "description": "Y",
        "status": "paid",
        "version": 1,
        field: value,
    }
    response = client.post(reverse("plans:expense_create", args=["w13", 2020]), data)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert f'id="id_{field}_error"' in response.text
    assert Expense.objects.count() == 2


def test_a_stale_budget_line_edit_is_refused(client, coordinator, budget):
    client.force_login(coordinator)
    line = budget["line"]
    url = reverse("plans:budget_line_edit", args=[line.pk])
    data = {"title": line.title, "amount": "5000", "version": line.version}
    assert client.post(url, data).status_code == 302
    response = client.post(url, {**data, "amount": "6000"})
    assert response.status_code == 200
    assert response.context["stale"]
    assert BudgetLine.objects.get(pk=line.pk).amount == Decimal("5000.00")


def test_no_expenses_before_the_grant(client, coordinator, home_region):
    client.force_login(coordinator)
    response = client.get(reverse("plans:budget", args=["w13", 2019]))
    assert "expense_create" not in response.text
    assert client.get(reverse("plans:expense_create", args=["w13", 2019])).status_code == 404


def test_the_grant_page_shows_how_it_is_computed(client, coordinator, home_region):
    kortrijk = Municipality.objects.get(nis_code="34022")
    kortrijk.is_centre_city = True
    kortrijk.save()
    Population.objects.create(municipality=kortrijk, year=2020, inhabitants=77_109)
    client.force_login(coordinator)
    url = reverse("plans:grant_edit", args=["w13", 2020])
    response = client.get(url)
    assert "77.109" in response.text
    assert "€ 25.000,00" in response.text  # Kortrijk on its own, no cap
    response = client.post(url, {"funder": "DWSE", "decision_reference": "R1", "version": 1})
    assert response.status_code == 302
    assert Grant.objects.get().amount == Decimal("25000.00")


def test_a_granted_amount_that_differs_needs_a_note(client, coordinator, home_region):
    Population.objects.create(
        municipality=Municipality.objects.get(nis_code="34022"), year=2020, inhabitants=70_000
    )
    client.force_login(coordinator)
    url = reverse("plans:grant_edit", args=["w13", 2020])
    response = client.post(url, {"funder": "DWSE", "amount": "20.000,00", "version": 1})
    assert response.context["form"].errors["notes"]
    assert not Grant.objects.exists()


def test_exports(client, coordinator, budget):
    client.force_login(coordinator)
    page = client.get(BUDGET).text
    assert f'href="{export("xlsx")}"' in page
    assert f'href="{export("pdf")}"' in page
    assert client.get(export("docx")).status_code == 404
    workbook = load_workbook(io.BytesIO(client.get(export("xlsx")).content))
    summary, lines, expenses = workbook.worksheets
    values = {str(row[0]): row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert Decimal(str(values[next(k for k in values if "2020" in k)])) == Decimal("75000")
    assert [row[0] for row in lines.iter_rows(min_row=2, values_only=True)] == ["ROSE en Trefdag"]
    assert len(list(expenses.iter_rows(min_row=2))) == 2
    paid = next(
        row
        for row in expenses.iter_rows(min_row=2)
        if row[1].value == "Ontmoetingscentrum De Schakel"
    )
    assert paid[0].value == datetime.datetime(2020, 2, 20)
    assert paid[0].number_format == "DD/MM/YYYY"
    pdf = client.get(export("pdf"))
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "€ 73.357,50" in text
    assert "Welzijn13" in text


def test_query_count_does_not_grow_with_expenses(client, coordinator, budget):
    client.force_login(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BUDGET).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for _ in range(20):
        ExpenseFactory.create(grant=budget["grant"], line=budget["line"])
    assert count() == few


def test_everyone_who_sees_the_budget_sees_how_the_grant_was_computed(
    client, coordinator, viewer, home_region
):
    kortrijk = Municipality.objects.get(nis_code="34022")
    Population.objects.create(municipality=kortrijk, year=2019, inhabitants=61_000)
    grant_set(actor=coordinator, region=home_region, year=2020)
    client.force_login(viewer)
    response = client.get(BUDGET)
    assert 'data-testid="grant-calculation"' in response.text
    assert "61.000" in response.text
    assert "(2019)" in response.text  # the latest figure before 2020


def test_two_people_recording_the_same_grant(client, coordinator, home_region):
    Population.objects.create(
        municipality=Municipality.objects.get(nis_code="34022"), year=2020, inhabitants=70_000
    )
    client.force_login(coordinator)
    url = reverse("plans:grant_edit", args=["w13", 2020])
    assert client.get(url).context["form"]["version"].value() == 0
    assert (
        client.post(url, {"funder": "DWSE", "decision_reference": "A", "version": 0}).status_code
        == 302
    )
    response = client.post(url, {"funder": "DWSE", "decision_reference": "B", "version": 0})
    assert response.status_code == 200
    assert response.context["stale"]
    assert Grant.objects.get().decision_reference == "A"
