"""The client pages: opening a file, refusals beside the field, a doorstep talk that worries."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from regie.accounts.tests.factories import UserFactory
from regie.clients.models import Client, ClientFollowUp, Step
from regie.clients.tests.factories import DeviceFactory, synthetic_insz
from regie.core.permissions import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_counsellor(home_region, other_organisation):
    return UserFactory.create(
        username="other-counsellor",
        role=Role.COUNSELLOR,
        region=home_region,
        organisation=other_organisation,
    )


def _new_client(client, home_municipality, **extra):
    data = {
        "first_name": "Noor",
        "last_name": "Declercq",
        "municipality": home_municipality.pk,
        "postcode": "8500",
        "language": "nl",
        **extra,
    }
    return client.post(reverse("clients:client_create"), data)


def test_a_counsellor_opens_a_file_and_follows_the_client(client, counsellor, home_municipality):
    client.force_login(counsellor)
    response = _new_client(client, home_municipality)

    opened = Client.objects.get(last_name="Declercq")
    assert response["Location"] == reverse("clients:client_detail", args=[opened.pk])
    assert opened.organisation == counsellor.organisation
    page = client.get(response["Location"])
    assert "Noor Declercq" in page.text
    assert "no-store" in page["Cache-Control"]


def test_a_wrong_national_number_is_refused_beside_the_field(
    client, counsellor, home_municipality, insz_basis
):
    number = synthetic_insz(datetime.date(1990, 4, 4), 2)
    client.force_login(counsellor)

    response = _new_client(client, home_municipality, national_number=number[:-2] + "00")

    assert "national_number" in response.context["form"].errors
    assert 'id="id_national_number_error"' in response.text
    assert not Client.objects.exists()


def test_a_number_without_legal_basis_is_refused(client, counsellor, home_municipality):
    client.force_login(counsellor)
    response = _new_client(
        client, home_municipality, national_number=synthetic_insz(datetime.date(1990, 4, 4))
    )
    assert "national_number" in response.context["form"].errors
    assert not Client.objects.exists()


def test_an_expired_measure_is_refused_beside_the_start(client, counsellor, own_client):
    client.force_login(counsellor)
    response = client.post(
        reverse("clients:step_create", args=[own_client.pk]),
        {
            "measure": own_client.trajectories.get().steps.get().measure.pk,  # AZ
            "organisation": own_client.organisation.pk,
            "start": "2021-04-01",
            "hours_per_week": "12",
            "version": 1,
        },
    )
    assert "start" in response.context["form"].errors
    assert 'id="id_start_error"' in response.text
    assert Step.objects.count() == 1


def test_a_lent_device_is_refused_beside_the_field(
    client, counsellor, own_client, foreign_client, partner_organisation
):
    device = DeviceFactory.create(organisation=partner_organisation)
    device.loans.create(
        client=foreign_client,
        start=datetime.date(2020, 4, 1),
        due=datetime.date(2020, 6, 1),
    )
    client.force_login(counsellor)
    response = client.post(
        reverse("clients:loan_create", args=[own_client.pk]),
        {"device": device.pk, "start": "2020-04-02", "due": "2020-06-02", "condition_out": "good"},
    )
    # The device is not available, so the form does not even offer it.
    assert "device" in response.context["form"].errors


def test_a_doorstep_talk_with_a_worry_lands_on_the_counsellors_list(
    client, partner, counsellor, own_client
):
    client.force_login(partner)
    client.post(
        reverse("clients:contact_create", args=[own_client.pk]),
        {
            "kind": "doorstep",
            "on": "2020-04-16",
            "note": "Voelt zich eenzaam.",
            "wellbeing_flag": "on",
        },
    )
    follow_up = ClientFollowUp.objects.get()

    client.force_login(counsellor)
    page = client.get(reverse("clients:follow_up_list"))
    assert "Fatima Vandenberghe" in page.text
    client.post(reverse("clients:follow_up_done", args=[follow_up.pk]))
    follow_up.refresh_from_db()
    assert follow_up.status == "done"


def test_another_counsellor_gets_404(client, other_counsellor, own_client):
    client.force_login(other_counsellor)
    for name in ("client_detail", "client_edit", "contact_create", "loan_create"):
        assert client.get(reverse(f"clients:{name}", args=[own_client.pk])).status_code == 404


def test_the_partner_sees_no_personal_details(client, partner, own_client):
    client.force_login(partner)
    page = client.get(reverse("clients:client_detail", args=[own_client.pk]))
    assert "Fatima Vandenberghe" in page.text
    assert "Leiestraat 12" in page.text  # the address, for home work and doorstep talks
    assert own_client.email not in page.text
    assert own_client.vdab_reference not in page.text
    assert "1980" not in page.text  # the birth date


def test_the_viewer_sees_suppressed_figures_only(client, viewer, own_client):
    client.force_login(viewer)
    assert client.get(reverse("clients:client_list")).status_code == 404
    page = client.get(reverse("clients:progression") + "?year=2019")
    assert page.status_code == 200
    assert page.context["figures"].suppressed
    assert "&lt;5" not in page.text  # "< 5" next to a median reads as a number of months
    assert ">onderdrukt</abbr>" in page.text


def test_progression_opens_on_the_latest_year_with_data(client, coordinator, own_client):
    """The fixture's steps lie years back: without a choice the page shows their year, says so,
    and a year chosen explicitly is shown as chosen."""
    latest = own_client.trajectories.get().steps.get().start.year
    last_year = timezone.localdate().year - 1
    client.force_login(coordinator)

    page = client.get(reverse("clients:progression"))

    assert page.context["year"] == latest < last_year
    assert f"Er zijn nog geen cijfers voor {last_year}" in page.text
    chosen = client.get(reverse("clients:progression") + f"?year={last_year}")
    assert chosen.context["year"] == last_year
    assert "Er zijn nog geen cijfers" not in chosen.text


def test_the_client_list_filters_with_htmx(client, coordinator, own_client, foreign_client):
    client.force_login(coordinator)
    response = client.get(
        reverse("clients:client_list") + "?q=Elders", headers={"HX-Request": "true"}
    )
    assert "<html" not in response.text
    assert "Elders" in response.text
    assert "Vandenberghe" not in response.text
