"""The strict template variables of the suite: what fails, what renders as in production."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.template import Context, Engine, Origin, Template

from regie.tests.undefined_variables import UndefinedVariable, UndefinedVariableError

ENGINE = Engine(string_if_invalid=UndefinedVariable("%s"), libraries={})
OWN = Origin(name=str(Path(settings.BASE_DIR) / "regie" / "templates" / "example.html"))
FOREIGN = Origin(name="/usr/lib/python3/site-packages/somewhere/template.html")


def render(source: str, context: dict[str, object], origin: Origin = OWN) -> str:
    return Template(source, origin=origin, engine=ENGINE).render(Context(context))


def test_a_missing_name_fails_in_our_templates() -> None:
    with pytest.raises(UndefinedVariableError, match="titel"):
        render("{{ titel }}", {"title": "ROSE"})


def test_a_missing_attribute_fails() -> None:
    with pytest.raises(UndefinedVariableError):
        render("{{ meeting.titel }}", {"meeting": SimpleNamespace(title="ROSE")})


def test_an_empty_relation_renders_as_in_production_with_its_filters() -> None:
    contact = SimpleNamespace(by=None)
    assert render('{{ contact.by.name|default:"—" }}', {"contact": contact}) == "—"
    assert render("[{{ contact.by.name }}]", {"contact": contact}) == "[]"


def test_a_variable_with_a_default_is_optional() -> None:
    assert render('{{ submit_label|default:"Opslaan" }}', {}) == "Opslaan"


def test_other_templates_keep_djangos_silence() -> None:
    assert render("[{{ titel }}]", {}, origin=FOREIGN) == "[]"
