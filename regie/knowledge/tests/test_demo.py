"""The demo knowledge base: the practices partners shared and the corona rules of 2020."""

import pytest

from regie.knowledge.demo import demo_load
from regie.knowledge.models import KnowledgeEntry, Practice, PracticeAnswer, Rule, RuleTranslation
from regie.knowledge.selectors import knowledge_search
from regie.registry.demo import demo_region_load

pytestmark = pytest.mark.django_db


def test_the_practices_and_rules_are_searchable_and_loading_again_adds_nothing():
    context = demo_region_load().context
    first = demo_load(context=context)
    models = (Practice, PracticeAnswer, Rule, RuleTranslation, KnowledgeEntry)
    counts = {model: model.objects.count() for model in models}

    line = demo_load(context=context)

    assert "this run 6 practices and rules added" in first
    assert "this run 0 practices and rules added" in line
    assert {model: model.objects.count() for model in models} == counts
    assert knowledge_search(user=context.actor, q="mondmasker")
