"""A stale edit of a rule keeps the input, shows what changed since the form was opened (dates
as people read them), and saves on a second try (``regie.core.versioning.versioned_edit``)."""

import datetime

import pytest
from django.urls import reverse

from regie.knowledge import services

pytestmark = pytest.mark.django_db


def test_a_stale_rule_edit_shows_the_dates_as_people_read_them(client, coordinator, home_region):
    rule = services.rule_create(
        actor=coordinator,
        region=home_region,
        title="Mondmasker",
        source="Ministerieel besluit",
        effective_from=datetime.date(2020, 7, 11),
        summary="Draag een mondmasker.",
    )
    client.force_login(coordinator)
    url = reverse("knowledge:rule_edit", args=[rule.pk])
    opened = client.get(url).context["form"]["version"].value()
    services.rule_update(
        actor=coordinator,
        rule=rule,
        expected_version=rule.version,
        effective_from=datetime.date(2020, 7, 25),
    )
    mine = {
        "title": rule.title,
        "source": rule.source,
        "effective_from": "2020-08-01",
        "summary": "Draag overal een mondmasker.",
        "version": opened,
    }

    response = client.post(url, mine)

    form = response.context["form"]
    assert response.context["stale"] == [
        (form.fields["effective_from"].label, "11-7-2020", "25-7-2020", "1-8-2020")
    ]
    assert "<td>11-7-2020</td><td>25-7-2020</td><td>1-8-2020</td>" in response.text
    again = client.post(url, {**mine, "version": form["version"].value()})
    assert again.status_code == 302
    rule.refresh_from_db()
    assert (rule.effective_from, rule.summary) == (
        datetime.date(2020, 8, 1),
        "Draag overal een mondmasker.",
    )
