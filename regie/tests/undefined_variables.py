"""In tests, a template variable that does not exist fails the test instead of rendering empty.

Installed as the engine's ``string_if_invalid`` by the root ``conftest.py``. Django calls
``string_if_invalid % variable`` when a variable cannot be resolved; this object decides:

- a name or attribute that does not exist (a typo, a context key the view never set, a field
  that was renamed) raises ``UndefinedVariableError``, in Regie's own templates;
- a lookup through an empty optional relation (``contact.by.username`` when ``by`` is None)
  renders as in production — empty, with the variable's filters applied — because coping with
  empty relations is what templates must do; the crawl test proves they do;
- a variable whose first filter is ``default`` is declared optional and renders as in
  production (``{{ submit_label|default:_("Save") }}``);
- templates of Django and third-party packages keep Django's silence.
"""

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.base import FilterExpression, Variable, VariableDoesNotExist
from django.template.context import Context
from django.utils.safestring import SafeData, mark_safe

PROJECT_TEMPLATES = str(Path(settings.BASE_DIR) / "regie")


class UndefinedVariableError(Exception):
    pass


def _through_empty_relation(variable: Variable, context: Context) -> bool:
    """True when the lookup stops at a None on its way, not at a missing name."""
    lookups = variable.lookups or ()
    for depth in range(1, len(lookups)):
        partial = Variable(".".join(lookups[:depth]))
        try:
            if partial.resolve(context) is None:
                return True
        except VariableDoesNotExist:
            return False
    return False


def _filtered_blank(expression: FilterExpression, context: Context) -> Any:
    """What Django renders in production for an unresolvable variable: "" through the filters."""
    obj: Any = ""
    for func, args in expression.filters:
        values = [mark_safe(arg) if not lookup else arg.resolve(context) for lookup, arg in args]
        if getattr(func, "needs_autoescape", False):
            new_obj = func(obj, *values, autoescape=context.autoescape)
        else:
            new_obj = func(obj, *values)
        obj = (
            mark_safe(new_obj)
            if getattr(func, "is_safe", False) and isinstance(obj, SafeData)
            else new_obj
        )
    return obj


class UndefinedVariable(str):
    def __contains__(self, item: object) -> bool:
        return item == "%s"

    def __mod__(self, variable: object) -> Any:
        caller = sys._getframe(1).f_locals
        expression, context = caller.get("self"), caller.get("context")
        if not isinstance(expression, FilterExpression) or not isinstance(context, Context):
            return ""
        template = getattr(context.render_context, "template", None) or context.template
        origin = str(getattr(getattr(template, "origin", None), "name", "") or "")
        own = origin.startswith(PROJECT_TEMPLATES)
        optional = bool(expression.filters) and expression.filters[0][0].__name__ == "default"
        if (
            not own
            or optional
            or (isinstance(variable, Variable) and _through_empty_relation(variable, context))
        ):
            return _filtered_blank(expression, context)
        raise UndefinedVariableError(f"{{{{ {expression.token} }}}} does not exist ({origin})")


def install() -> None:
    engines: list[dict[str, Any]] = settings.TEMPLATES
    for engine in engines:
        if engine["BACKEND"] == "django.template.backends.django.DjangoTemplates":
            engine.setdefault("OPTIONS", {})["string_if_invalid"] = UndefinedVariable("%s")
