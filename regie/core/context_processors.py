"""The navigation shows only the sections a user may open, grouped by capability."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from regie.core.permissions import role_of

READERS = {"admin", "coordinator", "partner", "counsellor"}


def navigation(request: HttpRequest) -> dict[str, Any]:
    """``nav_groups``: (label, [(key, label, url)]); a group of one item is a plain link."""
    user = request.user
    if not user.is_authenticated:
        return {"nav_groups": []}
    role = role_of(user)

    def only(roles: set[str], *entries: tuple[str, Any, str]) -> list[tuple[str, Any, str]]:
        return list(entries) if role in roles else []

    registry = [
        *only(
            READERS,
            ("organisations", _("Organisations"), reverse("registry:organisation_list")),
            ("people", _("People"), reverse("registry:person_list")),
        ),
        ("municipalities", _("Municipalities"), reverse("registry:municipality_list")),
        *only({"admin", "coordinator"}, ("import", _("Import"), reverse("registry:import_upload"))),
    ]
    networks = [
        *only(
            READERS,
            ("bodies", _("Bodies and meetings"), reverse("network:body_list")),
            ("my_follow_ups", _("My follow-ups"), reverse("network:my_follow_ups")),
            ("knowledge", _("Knowledge base"), reverse("knowledge:home")),
        ),
        ("calendar", _("My calendar"), reverse("events:calendar")),
    ]
    clients = [
        *only(
            {"coordinator", "partner", "counsellor"},
            ("clients", _("Clients"), reverse("clients:client_list")),
        ),
        *only(
            {"counsellor"},
            ("client_follow_ups", _("My client follow-ups"), reverse("clients:follow_up_list")),
        ),
        *only(
            {"viewer", "admin"}, ("progression", _("Progression"), reverse("clients:progression"))
        ),
        *only({"admin"}, ("client_access_log", _("Access log"), reverse("clients:access_log"))),
    ]
    plans = [
        ("plans", _("Actions"), reverse("plans:home")),
        *only(
            {"admin", "coordinator", "viewer"},
            ("budget", _("Budget"), reverse("plans:budget_home")),
        ),
    ]
    home_work = [
        *only(
            {"coordinator", "partner"},
            ("rounds", _("Rounds"), reverse("logistics:plan_list")),
            ("orders", _("Orders"), reverse("logistics:order_list")),
            ("home_work", _("Home workers"), reverse("logistics:assignment_list")),
            ("vans", _("Vans"), reverse("logistics:van_list")),
        ),
        *(
            [("my_rounds", _("My rounds"), reverse("logistics:my_rounds"))]
            if role in {"coordinator", "partner", "counsellor"} and user.person_id
            else []
        ),
    ]
    # Django's admin (users, tokens, the audit trail) opens for staff only.
    administration = (
        [("admin", _("Administration"), reverse("admin:index"))] if user.is_staff else []
    )
    groups = [
        (_("Overview"), [("home", _("Overview"), reverse("home"))]),
        (_("Registry"), registry),
        (_("Networks"), networks),
        (_("Clients"), clients),
        (_("Action plan"), plans),
        (_("Home work"), home_work),
        (_("Administration"), administration),
    ]
    return {"nav_groups": [(label, items) for label, items in groups if items], "user_role": role}
