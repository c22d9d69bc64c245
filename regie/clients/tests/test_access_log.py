"""Every read of a client file writes an access-log row, on the web and in the API; every client
page is sent with ``Cache-Control: no-store``."""

import datetime
import json

import pytest
from django.urls import URLPattern, reverse

from regie.clients import services, urls
from regie.clients.models import AccessAction, AccessLog, Channel, ContactKind
from regie.clients.tests.factories import DeviceFactory, EnrolmentFactory, synthetic_insz

pytestmark = pytest.mark.django_db


def rows(**lookup):
    entries = AccessLog.objects.filter(**lookup).order_by("pk")
    return list(entries.values_list("username", "action", "channel"))


@pytest.fixture
def loan(counsellor, own_client, partner_organisation):
    return services.loan_create(
        actor=counsellor,
        device=DeviceFactory.create(organisation=partner_organisation),
        client=own_client,
        start=datetime.date(2020, 4, 1),
        due=datetime.date(2020, 6, 30),
    )


@pytest.mark.parametrize("role", ["coordinator", "partner", "counsellor"])
def test_the_list_logs_every_client_shown(client, cast, own_client, role):
    client.force_login(cast[role])
    client.get(reverse("clients:client_list"))
    assert rows(client=own_client) == [(role, AccessAction.LIST, Channel.WEB)]


@pytest.mark.parametrize("role", ["coordinator", "partner", "counsellor"])
def test_the_file_logs_a_view(client, cast, own_client, role):
    client.force_login(cast[role])
    client.get(reverse("clients:client_detail", args=[own_client.pk]))
    assert rows(client=own_client) == [(role, AccessAction.VIEW, Channel.WEB)]


def test_a_foreign_file_logs_nothing(client, counsellor, foreign_client):
    client.force_login(counsellor)
    assert client.get(reverse("clients:client_detail", args=[foreign_client.pk])).status_code == 404
    assert rows() == []


def test_revealing_the_national_number_logs_who_and_why(client, counsellor, own_client, insz_basis):
    number = synthetic_insz(datetime.date(1984, 2, 29), 12)
    services.client_national_number_set(actor=counsellor, client=own_client, national_number=number)
    client.force_login(counsellor)
    url = reverse("clients:national_number_reveal", args=[own_client.pk])

    assert number not in client.get(url).text  # the form asks why first
    response = client.post(url, {"reason": "Attest voor de mutualiteit"})

    assert number in response.text
    assert "no-store" in response["Cache-Control"]
    entry = AccessLog.objects.get(action=AccessAction.UNMASK)
    assert (entry.username, entry.reason) == ("counsellor", "Attest voor de mutualiteit")


@pytest.mark.parametrize(
    ("route", "what"), [("client_export_json", "JSON"), ("client_export_pdf", "PDF")]
)
def test_exports_log_an_export(client, coordinator, own_client, route, what):
    client.force_login(coordinator)
    response = client.get(reverse(f"clients:{route}", args=[own_client.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f'attachment; filename="clientdossier-{own_client.code}.{what.lower()}"'
    )
    assert list(AccessLog.objects.values_list("action", "what")) == [(AccessAction.EXPORT, what)]


def test_the_loan_agreement_logs_an_export(client, counsellor, own_client, loan):
    client.force_login(counsellor)
    response = client.get(reverse("clients:loan_agreement", args=[own_client.pk, loan.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert rows(client=own_client) == [("counsellor", AccessAction.EXPORT, Channel.WEB)]


def test_lists_of_loans_and_session_enrolments_log_the_clients(
    client, counsellor, own_client, loan, home_region, partner_organisation
):
    enrolment = EnrolmentFactory.create(
        client=own_client, session__region=home_region, session__organisation=partner_organisation
    )
    client.force_login(counsellor)
    client.get(reverse("clients:loan_list"))
    client.get(reverse("clients:session_detail", args=[enrolment.session.pk]))
    assert rows(client=own_client) == [("counsellor", AccessAction.LIST, Channel.WEB)] * 2


def test_the_api_logs_list_and_detail(client, partner, own_client):
    client.force_login(partner)
    listed = client.get("/api/v1/clients")
    detail = client.get(f"/api/v1/clients/{own_client.pk}")

    assert [item["id"] for item in listed.json()["items"]] == [own_client.pk]
    assert detail.json()["code"] == own_client.code
    assert rows(client=own_client) == [
        ("partner", AccessAction.LIST, Channel.API),
        ("partner", AccessAction.VIEW, Channel.API),
    ]
    assert "no-store" in listed["Cache-Control"]
    assert "no-store" in detail["Cache-Control"]


def test_the_log_holds_no_client_data(client, coordinator, own_client):
    client.force_login(coordinator)
    client.get(reverse("clients:client_detail", args=[own_client.pk]))
    stored = json.dumps(list(AccessLog.objects.values()), default=str)
    for value in (own_client.first_name, own_client.last_name, own_client.street):
        assert value not in stored


def test_every_client_page_is_not_stored():
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        assert getattr(pattern.callback, "no_store", False), pattern.name


@pytest.mark.parametrize("route", ["client_list", "follow_up_list", "progression"])
def test_the_header_is_sent(client, coordinator, route):
    client.force_login(coordinator)
    response = client.get(reverse(f"clients:{route}"))
    assert "no-store" in response["Cache-Control"]


def test_the_follow_up_list_logs_the_clients_it_names(client, counsellor, own_client):
    services.contact_record(
        actor=counsellor,
        client=own_client,
        kind=ContactKind.DOORSTEP,
        on=datetime.date(2020, 4, 2),
        note="",
        wellbeing_flag=True,
    )
    client.force_login(counsellor)
    response = client.get(reverse("clients:follow_up_list"))
    assert own_client.last_name in response.text
    assert rows(client=own_client) == [("counsellor", AccessAction.LIST, Channel.WEB)]


def test_the_edit_form_logs_a_view(client, coordinator, own_client):
    client.force_login(coordinator)
    response = client.get(reverse("clients:client_edit", args=[own_client.pk]))
    assert own_client.vdab_reference in response.text  # the form shows the personal details
    assert rows(client=own_client) == [("coordinator", AccessAction.VIEW, Channel.WEB)]
