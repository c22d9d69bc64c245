"""The action page runs a fixed number of queries, whatever the number of its indicators and
their history."""

from django.urls import reverse

from regie.plans.models import Indicator
from regie.tests.queries import assert_no_growth


def test_the_action_page_does_not_grow_with_its_indicators_history(
    client, coordinator, plan, django_assert_max_num_queries
):
    action = plan["rose"]

    def indicator() -> None:
        made = Indicator.objects.create(action=action, name="Netwerkmomenten", target=4)
        made.actual = 3
        made.save()

    def four_more() -> None:
        for _ in range(4):
            indicator()

    indicator()
    client.force_login(coordinator)
    url = reverse("plans:action_detail", args=[action.pk])
    assert_no_growth(client, url, add_rows=four_more, max_num_queries=django_assert_max_num_queries)
    assert client.get(url).text.count("Netwerkmomenten") >= 5
