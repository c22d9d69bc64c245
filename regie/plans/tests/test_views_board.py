"""The plan board: a column per pillar, filters, the missing-pillar warning and scoping."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from regie.plans.models import ActionStatus
from regie.plans.tests.factories import ActionFactory
from regie.registry.models import Pillar

pytestmark = pytest.mark.django_db

BOARD = reverse("plans:board", args=["w13", 2020])


def export(fmt: str) -> str:
    return reverse("plans:board_export", args=["w13", 2020, fmt])


def columns(response) -> dict[str, list[str]]:
    return {
        column.pillar.code: [action.title for action in column.actions]
        for column in response.context["board"].columns
    }


def test_a_column_per_pillar_of_the_framework_in_force(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(BOARD)
    assert response.status_code == 200
    assert columns(response) == {
        "OD-1": ["Infosessie sociale clausules"],
        "OD-2": ["ROSE"],
        "OD-3": [],
    }
    assert "Reden: corona" in response.text or "Reason: corona" in response.text


def test_a_warning_for_a_pillar_without_action(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(BOARD)
    assert [p.code for p in response.context["board"].missing] == ["OD-3"]
    assert response.text.count('data-testid="missing-pillar"') == 1
    ActionFactory.create(region=plan["rose"].region, pillar=plan["rose"].pillar, title="Later")
    ActionFactory.create(
        region=plan["rose"].region,
        pillar=Pillar.objects.get(code="OD-3"),
        status=ActionStatus.DROPPED,
    )
    response = client.get(BOARD)
    assert [p.code for p in response.context["board"].missing] == ["OD-3"]  # dropped: no count


def test_the_years_of_change_show_both_frameworks(client, coordinator, home_region):
    client.force_login(coordinator)
    response = client.get(reverse("plans:board", args=["w13", 2023]))
    assert list(columns(response)) == ["WSE-LR1", "WSE-LR2", "WSE-LR3", "WSE-LR4"]
    ActionFactory.create(region=home_region, year=2022, last_year=2023)  # OD-1 spans into 2023
    response = client.get(reverse("plans:board", args=["w13", 2023]))
    assert list(columns(response))[-1] == "OD-1"
    assert len(response.context["board"].frameworks) == 2


def test_a_postponed_action_shows_in_the_year_it_moved_to(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(reverse("plans:board", args=["w13", 2021]))
    assert columns(response)["OD-1"] == ["Infosessie sociale clausules"]


def test_filters_and_htmx(client, coordinator, plan, partner_organisation):
    client.force_login(coordinator)
    assert columns(client.get(BOARD, {"status": "postponed"}))["OD-2"] == []
    assert columns(client.get(BOARD, {"q": "rose"}))["OD-1"] == []
    assert list(columns(client.get(BOARD, {"pillar": "OD-2"}))) == ["OD-2"]
    by_partner = columns(client.get(BOARD, {"organisation": partner_organisation.pk}))
    assert by_partner == {"OD-1": [], "OD-2": ["ROSE"], "OD-3": []}
    response = client.get(BOARD, {"q": "rose"}, headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="board"')


def test_a_partner_sees_only_the_actions_of_their_organisation(client, partner, plan):
    client.force_login(partner)
    response = client.get(BOARD)
    assert columns(response) == {"OD-1": [], "OD-2": ["ROSE"], "OD-3": []}
    assert response.context["board"].missing == []  # they see a part: no warning
    assert "2.500,00" not in response.text  # no money
    assert client.get(reverse("plans:action_detail", args=[plan["clauses"].pk])).status_code == 404


def test_a_viewer_sees_the_plan_without_people_or_money(client, viewer, plan, coordinator):
    coordinator.first_name, coordinator.last_name = "Hanne", "Verschaeve"
    coordinator.save()
    client.force_login(viewer)
    response = client.get(BOARD)
    assert columns(response)["OD-1"] == ["Infosessie sociale clausules"]
    assert "2.500,00" not in response.text
    detail = client.get(reverse("plans:action_detail", args=[plan["clauses"].pk]))
    assert "corona" in detail.text
    assert "Verschaeve" not in detail.text


def test_the_outsider_gets_404(client, outsider, plan):
    client.force_login(outsider)
    assert client.get(BOARD).status_code == 404
    assert client.get(reverse("plans:action_detail", args=[plan["rose"].pk])).status_code == 404


def test_exports_hold_the_filtered_actions(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(export("xlsx"), {"status": "postponed"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert [row[2] for row in rows] == ["Infosessie sociale clausules"]
    assert rows[0][6] == "corona"
    response = client.get(export("pdf"))
    assert response["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(response.content)).pages
    text = " ".join(" ".join(page.extract_text() for page in pages).split())
    assert "Infosessie sociale clausules" in text
    assert "Welzijn13" in text


def test_the_board_links_its_exports_with_its_filters(client, coordinator, plan):
    client.force_login(coordinator)
    response = client.get(BOARD, {"status": "postponed"})
    assert f'href="{export("xlsx")}?status=postponed"' in response.text
    assert f'href="{export("pdf")}?status=postponed"' in response.text


def test_an_export_is_xlsx_or_pdf_of_a_board_the_user_may_open(client, coordinator, outsider, plan):
    client.force_login(coordinator)
    assert client.get(export("csv")).status_code == 404
    client.force_login(outsider)
    assert client.get(export("xlsx")).status_code == 404


def test_a_viewer_export_has_no_owner_or_budget(client, viewer, plan):
    client.force_login(viewer)
    response = client.get(export("xlsx"))
    header = next(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows())
    assert len(header) == 9


def test_query_count_does_not_grow_with_actions(client, coordinator, home_region, plan):
    client.force_login(coordinator)

    def count() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(BOARD).status_code == 200
        return len(captured.captured_queries)

    few = count()
    for _ in range(15):
        ActionFactory.create(region=home_region, partner_organisations=[])
    assert count() == few


def test_home_goes_to_the_own_region_and_year(
    client, coordinator, admin_user, home_region, other_region
):
    client.force_login(coordinator)
    response = client.get(reverse("plans:home"))
    assert response.status_code == 302
    assert response.url.startswith("/plans/w13/")
    client.force_login(admin_user)
    response = client.get(reverse("plans:home"))
    assert "Welzijn13" in response.text


def test_home_opens_the_latest_year_with_actions(client, coordinator, plan, home_region):
    client.force_login(coordinator)
    assert client.get(reverse("plans:home")).url == BOARD.replace("2020", "2021")
    ActionFactory.create(region=home_region, year=2035, last_year=2035)
    assert client.get(reverse("plans:home")).url == BOARD.replace("2020", "2021")
    this_year = timezone.localdate().year
    board = client.get(reverse("plans:home"), follow=True)
    assert f"Er is nog niets voor {this_year}: dit toont 2021" in board.text  # and says so
    ActionFactory.create(region=home_region, year=this_year)
    assert client.get(reverse("plans:home")).url == BOARD.replace("2020", str(this_year))
    board = client.get(reverse("plans:home"), follow=True)
    assert "Er is nog niets voor" not in board.text
