"""Every web route × every role: the expected answer, generated from the URL resolver.

A route that is not in ``MATRIX`` fails ``test_every_route_is_in_the_matrix``: a new page must
say here who may open it. The API has its own matrix, built from the OpenAPI schema.
"""

import datetime
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from regie.accounts.models import User
from regie.accounts.tests.factories import UserFactory
from regie.clients.tests.world import client_world
from regie.core.permissions import Role
from regie.events.tests.factories import RegistrationFactory, event_for
from regie.knowledge.services import practice_create, rule_create
from regie.logistics.tests.factories import (
    OrderFactory,
    VanFactory,
    stored_plan,
    with_coordinates,
)
from regie.network.calendar import calendar_feed_renew
from regie.network.models import MeetingDocument
from regie.network.tests.factories import (
    AgendaItemFactory,
    AttendanceFactory,
    BodyFactory,
    FollowUpFactory,
    MeetingFactory,
    MembershipFactory,
)
from regie.plans.models import CarryOverStatus, Indicator
from regie.plans.tests.factories import (
    ActionFactory,
    BudgetLineFactory,
    CarryOverFactory,
    ExpenseFactory,
    GrantFactory,
)
from regie.registry.models import Organisation
from regie.registry.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    RecognitionFactory,
)

ROLES = ("anonymous", "coordinator", "partner", "counsellor", "viewer", "admin", "outsider")
SKIPPED_NAMESPACES = {"admin", "api"}  # Django's admin (staff only) and the API matrix

LOGIN = "login"  # anonymous users are sent to the login page
OK, MOVED, GONE, NOT_ALLOWED = 200, 302, 404, 405


def row(anonymous: Any = LOGIN, *, default: int = OK, **roles: int) -> dict[str, Any]:
    expected = dict.fromkeys(ROLES, default)
    expected["anonymous"] = anonymous
    expected.update(roles)
    return expected


REGION_READERS = row(viewer=GONE)
REGION_MANAGERS = row(partner=GONE, counsellor=GONE, viewer=GONE)
IN_SCOPE_READERS = row(viewer=GONE, outsider=GONE)
IN_SCOPE_EDITORS = row(counsellor=GONE, viewer=GONE, outsider=GONE)
IN_SCOPE_MANAGERS = row(partner=GONE, counsellor=GONE, viewer=GONE, outsider=GONE)
EVERYONE = row(anonymous=OK)
IN_SCOPE_MANAGER_POSTS = row(
    default=MOVED, partner=GONE, counsellor=GONE, viewer=GONE, outsider=GONE
)
# Clients: viewers and the technical administrator see no client file at all.
CLIENT_SECTION = row(viewer=GONE, admin=GONE)
CLIENT_READERS = row(viewer=GONE, admin=GONE, outsider=GONE)
CLIENT_EDITORS = row(partner=GONE, viewer=GONE, admin=GONE, outsider=GONE)
CLIENT_EDITOR_POSTS = row(default=MOVED, partner=GONE, viewer=GONE, admin=GONE, outsider=GONE)
CLIENT_CONTROLLER = row(default=GONE, coordinator=OK)
# Rounds: planned by the region's coordinator and the floor's own partner; a driver (tested in
# regie/logistics/tests) sees their own van's sheet and check-ins.
ROUND_PLANNERS = row(counsellor=GONE, viewer=GONE, admin=GONE)
ROUND_IN_SCOPE = row(counsellor=GONE, viewer=GONE, admin=GONE, outsider=GONE)
ROUND_IN_SCOPE_POSTS = row(default=MOVED, counsellor=GONE, viewer=GONE, admin=GONE, outsider=GONE)


def _on_client(**parts: str) -> Any:
    """URL kwargs of a client route: the client of the world's current side (``w["side"]``,
    "own" unless a test says "foreign") and the ids of the named parts of its file."""

    def kwargs(w: dict[str, Any]) -> dict[str, int]:
        ids = _clients(w)
        return {"pk": ids["client"], **{name: ids[part] for name, part in parts.items()}}

    kwargs.client_file = True  # type: ignore[attr-defined]
    return kwargs


# route name → (method, URL kwargs from the world, expected status per role)
MATRIX: dict[str, tuple[str, Any, dict[str, Any]]] = {
    "home": ("get", None, row()),
    "favicon": ("get", None, row(anonymous=MOVED, default=MOVED)),
    "login": ("get", None, row(anonymous=OK, default=MOVED)),
    "logout": ("post", None, row(anonymous=MOVED, default=MOVED)),
    "password_change": ("get", None, row()),
    "password_change_done": ("get", None, row()),
    "password_reset": ("get", None, EVERYONE),
    "password_reset_done": ("get", None, EVERYONE),
    "password_reset_confirm": (
        "get",
        lambda w: {"uidb64": "MQ", "token": "bad-token"},
        EVERYONE,
    ),
    "password_reset_complete": ("get", None, EVERYONE),
    "set_language": ("post", None, row(anonymous=MOVED, default=MOVED)),
    "registry:organisation_list": ("get", None, REGION_READERS),
    "registry:organisation_create": ("get", None, REGION_MANAGERS),
    "registry:organisation_detail": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_READERS),
    "registry:organisation_edit": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_EDITORS),
    "registry:organisation_contact": (
        "get",
        lambda w: {"pk": w["organisation"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:organisation_archive": (
        "post",
        lambda w: {"pk": w["organisation"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:site_create": ("get", lambda w: {"pk": w["organisation"]}, IN_SCOPE_EDITORS),
    "registry:site_edit": (
        "get",
        lambda w: {"pk": w["organisation"], "site_pk": w["site"]},
        IN_SCOPE_EDITORS,
    ),
    "registry:recognition_create": (
        "get",
        lambda w: {"pk": w["organisation"]},
        IN_SCOPE_MANAGERS,
    ),
    "registry:recognition_edit": (
        "get",
        lambda w: {"pk": w["organisation"], "recognition_pk": w["recognition"]},
        IN_SCOPE_MANAGERS,
    ),
    "registry:person_list": ("get", None, REGION_READERS),
    "registry:person_create": ("get", None, row(counsellor=GONE, viewer=GONE)),
    "registry:person_detail": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_READERS),
    "registry:person_edit": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_EDITORS),
    "registry:person_archive": (
        "post",
        lambda w: {"pk": w["person"]},
        row(default=MOVED, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "registry:affiliation_create": ("get", lambda w: {"pk": w["person"]}, IN_SCOPE_EDITORS),
    "registry:affiliation_edit": (
        "get",
        lambda w: {"pk": w["person"], "affiliation_pk": w["affiliation"]},
        IN_SCOPE_EDITORS,
    ),
    "registry:municipality_list": ("get", None, row()),
    "registry:import_upload": ("get", None, REGION_MANAGERS),
    "registry:import_preview": (
        "get",
        lambda w: {"token": uuid.uuid4()},
        row(default=GONE),
    ),
    "knowledge:home": ("get", None, REGION_READERS),
    "knowledge:practice_create": ("get", None, REGION_MANAGERS),
    "knowledge:practice_detail": ("get", lambda w: {"pk": w["practice"]}, IN_SCOPE_READERS),
    "knowledge:practice_edit": ("get", lambda w: {"pk": w["practice"]}, IN_SCOPE_MANAGERS),
    "knowledge:practice_answer": (
        "post",
        lambda w: {"pk": w["practice"]},
        row(default=OK, viewer=GONE, outsider=GONE),  # an empty answer: the form again
    ),
    "knowledge:rule_create": ("get", None, REGION_MANAGERS),
    "knowledge:rule_detail": ("get", lambda w: {"pk": w["rule"]}, IN_SCOPE_READERS),
    "knowledge:rule_edit": ("get", lambda w: {"pk": w["rule"]}, IN_SCOPE_MANAGERS),
    "knowledge:rule_translation": ("get", lambda w: {"pk": w["rule"]}, IN_SCOPE_MANAGERS),
    # Events and the calendar: public pages by their secret tokens, the rest for organisers.
    "events:event_detail": (
        "get",
        lambda w: {"token": _event(w).event.registration_token},
        EVERYONE,
    ),
    "events:event_registered": (
        "get",
        lambda w: {"token": _event(w).event.registration_token},
        row(anonymous=MOVED, default=MOVED),  # without a registration in the session
    ),
    "events:event_cancel": (
        "get",
        lambda w: {
            "token": _event(w).event.registration_token,
            "cancel_token": w["registration"].cancel_token,
        },
        EVERYONE,
    ),
    "events:meeting_invitations": ("get", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:registration_manage": ("get", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:registration_cancel": (
        "post",
        lambda w: {"pk": _event(w).pk, "registration_pk": w["registration"].pk},
        row(default=MOVED, partner=GONE, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "events:registration_export": ("get", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:checkin": ("get", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    # An empty scan or walk-in form shows the check-in page again, with the field's message.
    "events:checkin_scan": ("post", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:checkin_walk_in": ("post", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:checkin_toggle": (
        "post",
        lambda w: {"pk": _event(w).pk, "registration_pk": w["registration"].pk},
        row(default=MOVED, partner=GONE, counsellor=GONE, viewer=GONE, outsider=GONE),
    ),
    "events:attendance_list": ("get", lambda w: {"pk": _event(w).pk}, IN_SCOPE_MANAGERS),
    "events:calendar": ("get", None, row()),
    "events:calendar_renew": ("post", None, row(default=MOVED)),
    "events:calendar_delete": ("post", None, row(default=MOVED)),
    "events:calendar_feed": ("get", lambda w: {"token": _feed_token(w)}, EVERYONE),
    # Networks: a body the partner's organisation sits in, with a meeting and its parts.
    "network:body_list": ("get", None, REGION_READERS),
    "network:body_create": ("get", None, REGION_MANAGERS),
    "network:body_detail": ("get", lambda w: {"pk": _network(w)["body"]}, IN_SCOPE_READERS),
    "network:body_edit": ("get", lambda w: {"pk": _network(w)["body"]}, IN_SCOPE_MANAGERS),
    "network:body_status": ("get", lambda w: {"pk": _network(w)["body"]}, IN_SCOPE_MANAGERS),
    "network:membership_create": ("get", lambda w: {"pk": _network(w)["body"]}, IN_SCOPE_MANAGERS),
    "network:membership_edit": (
        "get",
        lambda w: {"pk": _network(w)["body"], "membership_pk": _network(w)["membership"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:membership_end": (
        "get",
        lambda w: {"pk": _network(w)["body"], "membership_pk": _network(w)["membership"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:meeting_create": ("get", lambda w: {"pk": _network(w)["body"]}, IN_SCOPE_MANAGERS),
    "network:meeting_detail": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_READERS),
    "network:meeting_edit": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_MANAGERS),
    "network:meeting_status": (
        "post",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    "network:meeting_cancel": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_MANAGERS),
    "network:meeting_postpone": (
        "get",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:agenda_item_create": (
        "get",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:agenda_item_edit": ("get", lambda w: _agenda_item(w), IN_SCOPE_MANAGERS),
    "network:agenda_item_move": ("post", lambda w: _agenda_item(w), IN_SCOPE_MANAGER_POSTS),
    "network:agenda_item_remove": ("post", lambda w: _agenda_item(w), IN_SCOPE_MANAGER_POSTS),
    "network:addendum_create": ("get", lambda w: _agenda_item(w), IN_SCOPE_MANAGERS),
    "network:attendance_guest": (
        "get",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:attendance_members": (
        "post",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    "network:attendance_mark": (
        "post",
        lambda w: {"pk": _network(w)["meeting"], "attendance_pk": _network(w)["attendance"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    "network:minutes_edit": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_MANAGERS),
    "network:minutes_status": (
        "post",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    "network:decision_create": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_MANAGERS),
    "network:follow_up_create": (
        "get",
        lambda w: {"pk": _network(w)["meeting"]},
        IN_SCOPE_MANAGERS,
    ),
    "network:document_upload": ("get", lambda w: {"pk": _network(w)["meeting"]}, IN_SCOPE_MANAGERS),
    "network:document_download": (
        "get",
        lambda w: {"pk": _network(w)["document"]},
        IN_SCOPE_READERS,
    ),
    "network:my_follow_ups": ("get", None, REGION_READERS),
    "network:follow_up_edit": (
        "get",
        lambda w: {"pk": _network(w)["follow_up"]},
        IN_SCOPE_MANAGERS,
    ),
    # The body's managers and the owner of the point (nobody of the cast here).
    "network:follow_up_status": (
        "post",
        lambda w: {"pk": _network(w)["follow_up"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    # The action plan and the budget (regie/plans): partners and counsellors see the actions
    # their organisation is a partner in, viewers the plan and the budget totals of their region.
    "plans:home": ("get", None, row(default=MOVED, admin=OK)),
    "plans:budget_home": (
        "get",
        None,
        row(default=MOVED, admin=OK, partner=GONE, counsellor=GONE),
    ),
    "plans:board": ("get", lambda w: _plans(w)["region_year"], row(outsider=GONE)),
    "plans:board_export": (
        "get",
        lambda w: {**_plans(w)["region_year"], "fmt": "xlsx"},
        row(outsider=GONE),
    ),
    "plans:action_create": ("get", lambda w: _plans(w)["region_year"], IN_SCOPE_MANAGERS),
    "plans:action_detail": ("get", lambda w: {"pk": _plans(w)["action"]}, row(outsider=GONE)),
    "plans:action_edit": ("get", lambda w: {"pk": _plans(w)["action"]}, IN_SCOPE_MANAGERS),
    "plans:action_status": ("get", lambda w: {"pk": _plans(w)["action"]}, IN_SCOPE_MANAGERS),
    "plans:indicator_create": ("get", lambda w: {"pk": _plans(w)["action"]}, IN_SCOPE_MANAGERS),
    "plans:indicator_edit": (
        "get",
        lambda w: {"pk": _plans(w)["action"], "indicator_pk": _plans(w)["indicator"]},
        IN_SCOPE_MANAGERS,
    ),
    "plans:budget": (
        "get",
        lambda w: _plans(w)["region_year"],
        row(partner=GONE, counsellor=GONE, outsider=GONE),
    ),
    "plans:budget_export": (
        "get",
        lambda w: {**_plans(w)["region_year"], "fmt": "xlsx"},
        row(partner=GONE, counsellor=GONE, outsider=GONE),
    ),
    "plans:grant_edit": ("get", lambda w: _plans(w)["region_year"], IN_SCOPE_MANAGERS),
    "plans:budget_line_create": ("get", lambda w: _plans(w)["region_year"], IN_SCOPE_MANAGERS),
    "plans:budget_line_edit": ("get", lambda w: {"pk": _plans(w)["line"]}, IN_SCOPE_MANAGERS),
    "plans:expense_create": ("get", lambda w: _plans(w)["region_year"], IN_SCOPE_MANAGERS),
    "plans:expense_edit": ("get", lambda w: {"pk": _plans(w)["expense"]}, IN_SCOPE_MANAGERS),
    "plans:carryover": ("get", lambda w: _plans(w)["region_year"], IN_SCOPE_MANAGERS),
    # Submitting a request that was already submitted: refused with a message, back to the page.
    "plans:carryover_submit": (
        "post",
        lambda w: {"pk": _plans(w)["carry_over"]},
        IN_SCOPE_MANAGER_POSTS,
    ),
    "plans:carryover_decide": (
        "get",
        lambda w: {"pk": _plans(w)["carry_over"]},
        IN_SCOPE_MANAGERS,
    ),
    "plans:carryover_letter": (
        "get",
        lambda w: {"pk": _plans(w)["carry_over"], "fmt": "pdf"},
        IN_SCOPE_MANAGERS,
    ),
    # Clients: the world's client is followed by the cast's counsellor and has a step at the
    # partner's organisation; test_access_to_a_foreign_client repeats the rows marked with
    # _on_client for a client nobody of the cast follows or works with.
    "clients:client_list": ("get", None, CLIENT_SECTION),
    "clients:client_create": ("get", None, row(partner=GONE, viewer=GONE, admin=GONE)),
    "clients:client_find": (
        "post",
        None,
        row(default=MOVED, partner=GONE, viewer=GONE, admin=GONE),
    ),
    "clients:client_detail": ("get", _on_client(), CLIENT_READERS),
    "clients:client_edit": ("get", _on_client(), CLIENT_EDITORS),
    "clients:national_number": ("get", _on_client(), CLIENT_EDITORS),
    "clients:national_number_reveal": ("get", _on_client(), CLIENT_EDITORS),
    "clients:counsellor_add": ("get", _on_client(), CLIENT_EDITORS),
    "clients:counselling_end": (
        "post",
        _on_client(counselling_pk="counselling"),
        CLIENT_EDITOR_POSTS,
    ),
    "clients:support_need": ("get", _on_client(), row(default=GONE, counsellor=OK)),
    "clients:support_need_remove": (
        "post",
        _on_client(need_pk="need"),
        row(default=GONE, counsellor=MOVED),
    ),
    "clients:legal_basis_create": ("get", _on_client(), CLIENT_EDITORS),
    "clients:legal_basis_withdraw": (
        "post",
        _on_client(basis_pk="basis"),
        CLIENT_EDITOR_POSTS,
    ),
    "clients:referral_create": ("get", _on_client(), CLIENT_EDITORS),
    "clients:referral_edit": ("get", _on_client(referral_pk="referral"), CLIENT_EDITORS),
    "clients:step_create": ("get", _on_client(), CLIENT_EDITORS),
    "clients:step_edit": ("get", _on_client(step_pk="step"), CLIENT_EDITORS),
    "clients:contact_create": ("get", _on_client(), CLIENT_READERS),
    "clients:loan_create": ("get", _on_client(), CLIENT_READERS),
    "clients:loan_return": ("get", _on_client(loan_pk="loan"), CLIENT_READERS),
    "clients:loan_agreement": ("get", _on_client(loan_pk="loan"), CLIENT_READERS),
    "clients:client_export_json": ("get", _on_client(), CLIENT_CONTROLLER),
    "clients:client_export_pdf": ("get", _on_client(), CLIENT_CONTROLLER),
    "clients:client_erase": ("get", _on_client(), CLIENT_CONTROLLER),
    "clients:client_access_log": ("get", _on_client(), CLIENT_CONTROLLER),
    "clients:follow_up_list": ("get", None, CLIENT_SECTION),
    "clients:follow_up_done": (
        "post",
        lambda w: {"pk": _clients(w)["follow_up"]},
        row(default=GONE, coordinator=MOVED, counsellor=MOVED),
    ),
    "clients:loan_list": ("get", None, CLIENT_SECTION),
    "clients:device_list": ("get", None, CLIENT_SECTION),
    "clients:device_create": ("get", None, row(counsellor=GONE, viewer=GONE, admin=GONE)),
    "clients:device_edit": (
        "get",
        lambda w: {"pk": _clients(w)["device"]},
        row(counsellor=GONE, viewer=GONE, admin=GONE, outsider=GONE),
    ),
    "clients:session_list": ("get", None, CLIENT_SECTION),
    "clients:session_create": ("get", None, CLIENT_SECTION),
    "clients:session_detail": ("get", lambda w: {"pk": _clients(w)["session"]}, CLIENT_READERS),
    "clients:session_edit": ("get", lambda w: {"pk": _clients(w)["session"]}, CLIENT_READERS),
    "clients:session_enrol": (
        "post",
        lambda w: {"pk": _clients(w)["session"]},
        row(default=MOVED, viewer=GONE, admin=GONE, outsider=GONE),
    ),
    "clients:enrolment_attendance": (
        "post",
        lambda w: {"pk": _clients(w)["session"], "enrolment_pk": _clients(w)["enrolment"]},
        row(default=MOVED, viewer=GONE, admin=GONE, outsider=GONE),
    ),
    "clients:legal_basis_list": ("get", None, CLIENT_SECTION),
    "clients:organisation_legal_basis_withdraw": (
        "post",
        lambda w: {"pk": _clients(w)["organisation_basis"]},
        row(default=GONE, coordinator=MOVED, partner=MOVED),
    ),
    "clients:progression": ("get", None, row()),
    "clients:access_log": ("get", None, row(default=GONE, coordinator=OK, admin=OK, outsider=OK)),
    "logistics:plan_list": ("get", None, ROUND_PLANNERS),
    "logistics:plan_create": ("get", None, ROUND_PLANNERS),
    "logistics:plan_detail": ("get", lambda w: {"pk": _rounds(w)["plan"]}, ROUND_IN_SCOPE),
    "logistics:plan_replan": ("post", lambda w: {"pk": _rounds(w)["plan"]}, ROUND_IN_SCOPE_POSTS),
    "logistics:stop_move": (
        "post",
        lambda w: {"pk": _rounds(w)["plan"], "stop_pk": _rounds(w)["stop"]},
        ROUND_IN_SCOPE_POSTS,
    ),
    "logistics:stop_lock": (
        "post",
        lambda w: {"pk": _rounds(w)["plan"], "stop_pk": _rounds(w)["stop"]},
        ROUND_IN_SCOPE_POSTS,
    ),
    "logistics:round_sheet": (
        "get",
        lambda w: {"pk": _rounds(w)["plan"], "van_pk": _rounds(w)["van"]},
        ROUND_IN_SCOPE,
    ),
    "logistics:my_rounds": ("get", None, row(viewer=GONE, admin=GONE)),
    "logistics:check_in": ("get", lambda w: {"pk": _rounds(w)["stop"]}, ROUND_IN_SCOPE),
    "logistics:assignment_list": ("get", None, ROUND_PLANNERS),
    "logistics:assignment_create": ("get", None, ROUND_PLANNERS),
    "logistics:assignment_edit": (
        "get",
        lambda w: {"pk": _rounds(w)["assignment"]},
        ROUND_IN_SCOPE,
    ),
    "logistics:order_list": ("get", None, ROUND_PLANNERS),
    "logistics:order_create": ("get", None, ROUND_PLANNERS),
    "logistics:order_edit": ("get", lambda w: {"pk": _rounds(w)["order"]}, ROUND_IN_SCOPE),
    "logistics:van_list": ("get", None, ROUND_PLANNERS),
    "logistics:van_create": ("get", None, ROUND_PLANNERS),
    "logistics:van_edit": ("get", lambda w: {"pk": _rounds(w)["van"]}, ROUND_IN_SCOPE),
}


def _event(w: dict[str, Any]) -> Any:
    """An event of the home region with one registration, made when a row first needs it."""
    if "event" not in w:
        region = Organisation.objects.get(pk=w["organisation"]).region
        w["event"] = event_for(region, capacity=10)
        w["registration"] = RegistrationFactory.create(meeting=w["event"])
    return w["event"]


def _feed_token(w: dict[str, Any]) -> str:
    """The coordinator's calendar token: whoever holds it reads the feed, without a login."""
    return calendar_feed_renew(user=User.objects.get(username="coordinator")).token


def _network(w: dict[str, Any]) -> dict[str, int]:
    """A body of the home region that the partner's organisation sits in, with a meeting, an
    agenda item, an attendance, a follow-up and a document; made when a row first needs it."""
    if "network" not in w:
        organisation = Organisation.objects.get(pk=w["organisation"])
        body = BodyFactory.create(region=organisation.region)
        membership = MembershipFactory.create(body=body, organisation=organisation)
        meeting = MeetingFactory.create(body=body)
        document = MeetingDocument(
            meeting=meeting, filename="agenda.txt", content_type="text/plain", size=6
        )
        document.file.save("agenda.txt", ContentFile(b"agenda"), save=True)
        w["network"] = {
            "body": body.pk,
            "membership": membership.pk,
            "meeting": meeting.pk,
            "agenda_item": AgendaItemFactory.create(meeting=meeting).pk,
            "attendance": AttendanceFactory.create(meeting=meeting).pk,
            "follow_up": FollowUpFactory.create(meeting=meeting).pk,
            "document": document.pk,
        }
    return w["network"]


def _agenda_item(w: dict[str, Any]) -> dict[str, int]:
    return {"pk": _network(w)["meeting"], "item_pk": _network(w)["agenda_item"]}


def _plans(w: dict[str, Any]) -> dict[str, Any]:
    """An action of the home region with the partner's organisation as partner, an indicator,
    the 2020 grant with a budget line and an expense, and a submitted carry-over request."""
    if "plans" not in w:
        organisation = Organisation.objects.get(pk=w["organisation"])
        region = organisation.region
        action = ActionFactory.create(region=region, partner_organisations=[organisation])
        grant = GrantFactory.create(region=region, year=2020)
        w["plans"] = {
            "region_year": {"region": region.code, "year": 2020},
            "action": action.pk,
            "indicator": Indicator.objects.create(action=action, name="Deelnemers").pk,
            "line": BudgetLineFactory.create(grant=grant).pk,
            "expense": ExpenseFactory.create(grant=grant).pk,
            "carry_over": CarryOverFactory.create(
                region=region, year=2020, status=CarryOverStatus.SUBMITTED
            ).pk,
        }
    return w["plans"]


def _clients(w: dict[str, Any]) -> dict[str, int]:
    """Two client files (regie/clients/tests/world.py), made when a row first needs them:
    "own", followed by the cast's counsellor at the partner's organisation, and "foreign", of
    another organisation of the region, followed by a counsellor outside the cast."""
    if "clients" not in w:
        organisation = Organisation.objects.get(pk=w["organisation"])
        municipality = organisation.sites.get().municipality
        coordinator = User.objects.get(username="coordinator")
        other = OrganisationFactory.create(region=organisation.region)
        stranger = UserFactory.create(
            role=Role.COUNSELLOR, region=organisation.region, organisation=other
        )
        w["clients"] = {
            "own": client_world(
                organisation=organisation,
                municipality=municipality,
                counsellor=User.objects.get(username="counsellor"),
                actor=coordinator,
                serial="101",
            ),
            "foreign": client_world(
                organisation=other,
                municipality=municipality,
                counsellor=stranger,
                actor=coordinator,
                serial="102",
            ),
        }
    return w["clients"][w.get("side", "own")]


def _rounds(w: dict[str, Any]) -> dict[str, int]:
    """A finished round plan of the partner's organisation: one van, two stops (no solver)."""
    if "rounds" not in w:
        organisation = Organisation.objects.get(pk=w["organisation"])
        with_coordinates(organisation.sites.get())
        van = VanFactory.create(organisation=organisation)
        orders = OrderFactory.create_batch(2, assignment__organisation=organisation)
        plan = stored_plan(orders=orders, van=van)
        w["rounds"] = {
            "plan": plan.pk,
            "van": van.pk,
            "stop": plan.stops.get(position=1).pk,
            "order": orders[0].pk,
            "assignment": orders[0].assignment_id,
        }
    return w["rounds"]


@pytest.fixture(autouse=True)
def _private_media(settings: Any, tmp_path: Any) -> None:
    """Documents of the world are written to a temporary MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path


def _route_names(patterns: list[Any], namespace: str = "") -> Iterator[str]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _route_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_route_is_in_the_matrix():
    routes = set(_route_names(get_resolver().url_patterns))
    assert routes - MATRIX.keys() == set(), "add these routes to MATRIX"
    assert MATRIX.keys() - routes == set(), "these MATRIX entries have no route any more"


@pytest.fixture
def world(cast, coordinator, home_region, partner_organisation) -> dict[str, Any]:
    person = PersonFactory.create(region=home_region)
    affiliation = AffiliationFactory.create(person=person, organisation=partner_organisation)
    return {
        "organisation": partner_organisation.pk,
        "site": partner_organisation.sites.get().pk,
        "recognition": RecognitionFactory.create(organisation=partner_organisation).pk,
        "person": person.pk,
        "affiliation": affiliation.pk,
        "practice": practice_create(
            actor=coordinator, region=home_region, question="Hoe gaan jullie om met …?"
        ).pk,
        "rule": rule_create(
            actor=coordinator,
            region=home_region,
            title="Mondmasker",
            source="MB",
            effective_from=datetime.date(2020, 7, 1),
            summary="…",
        ).pk,
    }


@pytest.mark.parametrize(("route", "role"), [(route, role) for route in MATRIX for role in ROLES])
def test_access(client, cast, world, route, role):
    method, kwargs, expected = MATRIX[route]
    url = reverse(route, kwargs=kwargs(world) if kwargs else None)
    if role != "anonymous":
        client.force_login(cast[role])
    response = getattr(client, method)(url)
    want = expected[role]
    if want == LOGIN:
        assert response.status_code == 302, f"{route} as {role}"
        assert response.url.startswith(reverse("login")), f"{route} as {role}"
    else:
        assert response.status_code == want, f"{route} as {role}: {response.status_code}"


CLIENT_ROUTES = [route for route, row in MATRIX.items() if getattr(row[1], "client_file", False)]


@pytest.mark.parametrize(
    ("route", "role"), [(route, role) for route in CLIENT_ROUTES for role in ROLES]
)
def test_access_to_a_foreign_client(client, cast, world, route, role):
    """A client of the region that nobody of the cast follows or works with: only the region's
    coordinator may open it (as far as the coordinator may open the route at all)."""
    method, kwargs, expected = MATRIX[route]
    world["side"] = "foreign"
    url = reverse(route, kwargs=kwargs(world))
    if role != "anonymous":
        client.force_login(cast[role])
    response = getattr(client, method)(url)
    if role == "anonymous":
        assert response.status_code == 302, f"{route} as {role}"
        assert response.url.startswith(reverse("login")), f"{route} as {role}"
    else:
        want = expected["coordinator"] if role == "coordinator" else GONE
        assert response.status_code == want, f"{route} as {role}: {response.status_code}"


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("coordinator", 302), ("viewer", 302), ("admin", 200)],
)
def test_django_admin_is_for_staff_only(client, cast, role, status):
    if role != "anonymous":
        client.force_login(cast[role])
    assert client.get(reverse("admin:index")).status_code == status
