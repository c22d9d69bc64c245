"""htmx requests render a named partial of the full-page template."""

from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def template_for(request: HttpRequest, template: str, partial: str) -> str:
    """The full page, or only ``partial`` of it when htmx asks (``HX-Target`` swap)."""
    if is_htmx(request) and not request.headers.get("HX-Boosted"):
        return f"{template}#{partial}"
    return template
