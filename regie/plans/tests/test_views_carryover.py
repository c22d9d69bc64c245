"""The carry-over request in the browser's forms: draft, submit, decide, letters."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from regie.plans.models import CarryOver, CarryOverStatus

pytestmark = pytest.mark.django_db

PAGE = reverse("plans:carryover", args=["w13", 2020])


def test_the_draft_is_prefilled_from_postponed_actions(client, coordinator, budget):
    client.force_login(coordinator)
    form = client.get(PAGE).context["form"]
    assert form["amount"].value() == Decimal("73357.50")
    justification = form["justification"].value()
    assert "Infosessie sociale clausules" in justification
    assert "corona" in justification
    assert "ROSE" not in justification


def test_draft_submit_and_approve(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.post(
        PAGE, {"amount": "70.000,00", "justification": "Uitgesteld: corona.", "version": 1}
    )
    assert response.status_code == 302
    request = CarryOver.objects.get()
    assert (request.status, request.amount) == (CarryOverStatus.DRAFT, Decimal("70000.00"))
    today = datetime.date.today().isoformat()
    client.post(
        reverse("plans:carryover_submit", args=[request.pk]),
        {"submitted_on": today, "version": 1},
    )
    request.refresh_from_db()
    assert request.status == CarryOverStatus.SUBMITTED
    decide = reverse("plans:carryover_decide", args=[request.pk])
    response = client.post(
        decide,
        {
            "decision": "approved",
            "decision_date": today,
            "decision_reference": "DWSE/2021/1",
            "version": request.version,
        },
    )
    assert response.status_code == 302
    next_year = client.get(reverse("plans:budget", args=["w13", 2021]))
    assert "€ 70.000,00" in next_year.text
    assert next_year.context["balance"].carried_in == Decimal("70000.00")


def test_too_much_is_refused_beside_the_amount(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.post(PAGE, {"amount": "80000", "justification": "x", "version": 1})
    assert response.status_code == 200
    errors = response.context["form"].errors["amount"]
    assert "€ 73.357,50" in errors[0]
    assert 'id="id_amount_error"' in response.text
    assert not CarryOver.objects.exists()


def test_a_negative_amount_is_refused(client, coordinator, budget):
    client.force_login(coordinator)
    response = client.post(PAGE, {"amount": "-5", "justification": "x", "version": 1})
    assert response.context["form"].errors["amount"]


def test_a_submitted_request_is_read_only(client, coordinator, budget):
    request = CarryOver.objects.create(
        region=budget["grant"].region,
        year=2020,
        amount=Decimal("100"),
        justification="x",
        status=CarryOverStatus.SUBMITTED,
    )
    client.force_login(coordinator)
    response = client.get(PAGE)
    assert response.context["form"] is None
    assert client.post(PAGE, {"amount": "5", "justification": "y"}).status_code == 404
    assert CarryOver.objects.get(pk=request.pk).amount == Decimal("100.00")


def test_the_letters_hold_the_amount_and_the_region(client, coordinator, budget):
    request = CarryOver.objects.create(
        region=budget["grant"].region,
        year=2020,
        amount=Decimal("18300.15"),
        justification="In 2020 werden acties uitgesteld:\n- Infosessie: corona.",
    )
    client.force_login(coordinator)
    pdf = client.get(reverse("plans:carryover_letter", args=[request.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages).split()
    )
    assert "€ 18.300,15" in text
    assert "Welzijn13" in text
    assert "Infosessie: corona." in text
    docx = client.get(reverse("plans:carryover_letter", args=[request.pk, "docx"]))
    assert docx["Content-Disposition"] == 'attachment; filename="overheveling-w13-2020.docx"'
    document = Document(io.BytesIO(docx.content))
    properties = document.core_properties
    assert properties.title.startswith("Aanvraag tot overheveling")
    assert properties.author == (coordinator.get_full_name() or coordinator.username)
    assert properties.language == "nl-BE"
    assert properties.created.year == timezone.now().year
    text = "\n".join(paragraph.text for paragraph in document.paragraphs)
    assert "€ 18.300,15" in text
    assert "Welzijn13" in text
    assert "Infosessie: corona." in text
    assert (
        client.get(reverse("plans:carryover_letter", args=[request.pk, "odt"])).status_code == 404
    )


def test_a_second_draft_started_at_the_same_time_does_not_overwrite_the_first(
    client, coordinator, budget
):
    client.force_login(coordinator)
    first = {"amount": "100,00", "justification": "Eerste.", "version": 0}
    second = {"amount": "200,00", "justification": "Tweede.", "version": 0}
    assert client.post(PAGE, first).status_code == 302
    response = client.post(PAGE, second)  # opened before the first was saved
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert CarryOver.objects.get().justification == "Eerste."


def draft_request(budget) -> CarryOver:
    return CarryOver.objects.create(
        region=budget["grant"].region, year=2020, amount=Decimal("18300.15"), justification="x"
    )


def letter_text(client, request: CarryOver) -> str:
    docx = client.get(reverse("plans:carryover_letter", args=[request.pk, "docx"]))
    return "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)


def test_the_submission_date_is_entered_and_dates_the_letter(client, coordinator, budget):
    request = draft_request(budget)
    client.force_login(coordinator)
    page = client.get(PAGE)
    assert 'name="submitted_on"' in page.text
    assert page.text.count('id="id_version"') == 1  # the draft form's; ids stay unique
    assert page.context["submit_form"]["submitted_on"].value() == timezone.localdate()

    response = client.post(
        reverse("plans:carryover_submit", args=[request.pk]),
        {"submitted_on": "2020-12-14", "version": request.version},
    )

    assert response.status_code == 302
    request.refresh_from_db()
    assert (request.status, request.submitted_on) == (
        CarryOverStatus.SUBMITTED,
        datetime.date(2020, 12, 14),
    )
    assert "14 december 2020" in letter_text(client, request)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Dit veld is verplicht."),
        ("2020-02-31", "Voer een geldige datum in."),
        ("future", "Deze datum ligt in de toekomst."),
    ],
)
def test_a_missing_wrong_or_future_submission_date_is_refused_at_the_field(
    client, coordinator, budget, value, message
):
    request = draft_request(budget)
    if value == "future":
        value = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    client.force_login(coordinator)

    response = client.post(
        reverse("plans:carryover_submit", args=[request.pk]),
        {"submitted_on": value, "version": request.version},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["submitted_on"] == [message]
    assert 'id="id_submitted_on_error"' in response.text
    request.refresh_from_db()
    assert (request.status, request.submitted_on) == (CarryOverStatus.DRAFT, None)
