"""The whole client flow with a (synthetic, valid) national number: it is typed once, revealed
once, and appears in no log record at any level (SQL included), no URL, no export, no audit or
access-log row, and nowhere in the database in plain text."""

import datetime
import io
import logging

import pytest
from django.db import connection
from django.urls import reverse
from pypdf import PdfReader
from stdnum.be import nn

from regie.clients.models import AccessLog, Client
from regie.clients.tests.factories import DeviceFactory, synthetic_insz
from regie.clients.tests.test_erasure import database_dump
from regie.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_the_national_number_never_leaks(
    client, caplog, counsellor, coordinator, home_municipality, partner_organisation, insz_basis
):
    number = synthetic_insz(datetime.date(1988, 12, 24), 321)
    spellings = {number, nn.format(number), f"{number[:6]}-{number[6:9]}.{number[9:]}"}
    responses = []
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")  # Django's own loggers stop at INFO
    connection.force_debug_cursor = True  # every SQL statement and its parameters is logged
    try:
        client.force_login(counsellor)
        created = client.post(
            reverse("clients:client_create"),
            {
                "first_name": "Noor",
                "last_name": "Declercq",
                "municipality": home_municipality.pk,
                "postcode": "8500",
                "language": "nl",
                "national_number": nn.format(number),
                "version": 1,
            },
        )
        responses.append(created)
        assert created.status_code == 302, created.context["form"].errors
        pk = Client.objects.get(last_name="Declercq").pk
        device = DeviceFactory.create(organisation=partner_organisation)
        for url in [
            reverse("clients:client_detail", args=[pk]),
            reverse("clients:client_list") + "?q=Declercq",
            reverse("clients:national_number_reveal", args=[pk]),
            reverse("clients:national_number", args=[pk]),
            f"/api/v1/clients/{pk}",
            "/api/v1/clients",
        ]:
            responses.append(client.get(url))
        responses.append(
            client.post(reverse("clients:client_find"), {"national_number": nn.format(number)})
        )
        assert responses[-1]["Location"] == reverse("clients:client_detail", args=[pk])
        revealed = client.post(
            reverse("clients:national_number_reveal", args=[pk]), {"reason": "Attest voor RVA"}
        )
        assert number in revealed.text  # the one place it shows, to the one who asked
        client.post(
            reverse("clients:loan_create", args=[pk]),
            {
                "device": device.pk,
                "start": "2020-04-01",
                "due": "2020-06-30",
                "condition_out": "good",
            },
        )
        loan = device.loans.get()
        responses.append(client.get(reverse("clients:loan_agreement", args=[pk, loan.pk])))
        wrong = client.post(
            reverse("clients:national_number", args=[pk]),
            {"national_number": number[:-1] + "0" if number[-1] != "0" else number[:-1] + "1"},
        )
        responses.append(wrong)

        client.force_login(coordinator)
        exported_json = client.get(reverse("clients:client_export_json", args=[pk]))
        exported_pdf = client.get(reverse("clients:client_export_pdf", args=[pk]))
        dump = database_dump()
        client.post(
            reverse("clients:client_erase", args=[pk]),
            {"reason": "Verzoek van de cliënt", "confirm": Client.objects.get(pk=pk).code},
        )
    finally:
        connection.force_debug_cursor = False

    assert any(record.name == "django.db.backends" for record in caplog.records)
    for spelling in spellings:
        assert spelling not in caplog.text
        for response in responses:
            assert spelling not in response.get("Location", "")
            assert spelling not in response.wsgi_request.get_full_path()
        assert spelling not in exported_json.content.decode()
        pdf_text = "".join(
            page.extract_text() for page in PdfReader(io.BytesIO(exported_pdf.content)).pages
        )
        assert "Declercq" in pdf_text
        assert spelling not in pdf_text
        assert spelling not in dump
        assert not AuditEntry.objects.filter(details__icontains=spelling).exists()
        assert not AccessLog.objects.filter(reason__icontains=spelling).exists()
