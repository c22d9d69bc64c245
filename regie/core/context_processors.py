"""The navigation shows only the sections a user may open."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.permissions import role_of


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    if not user.is_authenticated:
        return {"nav_items": []}
    role = role_of(user)
    items = [("home", _("Overview"), reverse("home"))]
    if role in {"admin", "coordinator", "partner", "counsellor"}:
        items.append(("organisations", _("Organisations"), reverse("registry:organisation_list")))
        items.append(("people", _("People"), reverse("registry:person_list")))
    items.append(("municipalities", _("Municipalities"), reverse("registry:municipality_list")))
    if role in {"admin", "coordinator"}:
        items.append(("import", _("Import"), reverse("registry:import_upload")))
    return {"nav_items": items, "user_role": role}
