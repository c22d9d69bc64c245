"""The knowledge base in a real browser: a question is shared, found and answered."""

import datetime

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from regie.accounts.models import User
from regie.knowledge import services as knowledge
from regie.knowledge.models import PracticeAnswer
from regie.tests.browser.conftest import AxeCheck, Login, Screenshot, nl

pytestmark = pytest.mark.browser


def test_a_partner_finds_a_practice_and_answers_it(
    page: Page,
    partner: User,
    coordinator: User,
    home_region,
    partner_organisation,
    login: Login,
    axe: AxeCheck,
    screenshot: Screenshot,
):
    practice = knowledge.practice_create(
        actor=coordinator,
        region=home_region,
        question="Hoe bereiken jullie medewerkers die thuis moeten blijven?",
        tags="corona, bereik",
    )
    knowledge.rule_create(
        actor=coordinator,
        region=home_region,
        title="Anderhalve meter afstand op de werkvloer",
        source="Federale coronamaatregelen",
        effective_from=datetime.date(2020, 3, 18),
        summary="Houd afstand.",
    )
    login(page, partner)
    page.get_by_role("button", name=nl("Networks")).click()
    page.get_by_role("link", name=nl("Knowledge base")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(nl("Knowledge base"))
    axe(page)

    page.get_by_role("textbox", name=nl("Search the knowledge base")).fill("thuis bereik")
    result = page.locator("#results").get_by_role("link", name=practice.question)
    expect(result).to_be_visible()
    expect(page.locator("#results").get_by_text("Anderhalve meter")).to_have_count(0)
    screenshot(page, "knowledge-search")
    result.click()

    expect(page.get_by_role("heading", level=1)).to_have_text(practice.question)
    axe(page)
    page.get_by_role("button", name=nl("Add answer")).click()
    expect(page.locator("#id_text_error")).to_be_visible()  # an empty answer is refused
    page.get_by_role("textbox", name=nl("Your answer")).fill(
        "Stoepgesprekken en een wekelijks telefoontje."
    )
    page.get_by_role("button", name=nl("Add answer")).click()
    expect(page.get_by_text("Stoepgesprekken en een wekelijks telefoontje.")).to_be_visible()
    axe(page)
    answer = PracticeAnswer.objects.get()
    assert answer.organisation == partner_organisation
    assert page.url.endswith(reverse("knowledge:practice_detail", args=[practice.pk]))
