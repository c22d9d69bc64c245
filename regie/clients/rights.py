"""Data-subject rights: everything about one client (JSON and a readable PDF, history and access
log included) and the erasure of a client's personal data (history tables included).

Erasure anonymises rather than deletes: the client row stays, without any personal value, with
its region, municipality and the dates and measures of its steps, so that the aggregates of
earlier years do not change. The act itself is logged — who, when, why — never the values.
The national number is never part of an export (only whether one is recorded).
"""

import json
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from regie.accounts.models import User
from regie.clients.access import access_record
from regie.clients.models import (
    AccessAction,
    Channel,
    Client,
    ClientCounsellor,
    ClientFollowUp,
    ClientStatus,
    Contact,
    Enrolment,
    LegalBasis,
    Loan,
    Referral,
    Step,
    SupportNeed,
    Trajectory,
)
from regie.core.audit import log_action
from regie.core.erasures import erasure_record
from regie.core.errors import DomainError

NOT_EXPORTED = ("insz_encrypted", "insz_hash", "insz_masked", "version")

# Any: an export is a JSON document of every kind of field value, nested; the readable PDF
# reads it back by key.
type Exported = dict[str, Any]


# Export --------------------------------------------------------------------------------------


def _value(value: object) -> object:
    if isinstance(value, models.Model):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return None
    return value


def _record(instance: models.Model, *, exclude: tuple[str, ...] = ()) -> Exported:
    data: Exported = {}
    for model_field in instance._meta.concrete_fields:
        name = model_field.name
        if name in exclude or name in NOT_EXPORTED:
            continue
        value = getattr(instance, name)
        display = getattr(instance, f"get_{name}_display", None)
        data[name] = display() if display and value else _value(value)
    return data


def _history(client: Client) -> list[Exported]:
    """Every stored version of the client's records, oldest first, with what changed."""
    trajectories = list(Trajectory.history.filter(client_id=client.pk).values_list("id", flat=True))
    # Any: django-simple-history's history managers carry no types.
    sources: list[tuple[Any, dict[str, object]]] = [
        (Client.history, {"id": client.pk}),
        (ClientCounsellor.history, {"client_id": client.pk}),
        (SupportNeed.history, {"client_id": client.pk}),
        (LegalBasis.history, {"client_id": client.pk}),
        (Referral.history, {"client_id": client.pk}),
        (Trajectory.history, {"client_id": client.pk}),
        (Step.history, {"trajectory_id__in": trajectories}),
        (Contact.history, {"client_id": client.pk}),
        (ClientFollowUp.history, {"client_id": client.pk}),
        (Loan.history, {"client_id": client.pk}),
        (Enrolment.history, {"client_id": client.pk}),
    ]
    entries: list[Exported] = []
    labels = _ReferenceLabels()
    for manager, lookup in sources:
        model = manager.model.instance_type
        fields = [
            f
            for f in model._meta.concrete_fields
            if f.name not in NOT_EXPORTED and f.name != "updated_at"
        ]
        previous: dict[int, Exported] = {}
        versions = manager.filter(**lookup).select_related("history_user")
        for version in versions.order_by("history_date", "history_id"):
            current = {f.name: labels.of(f, getattr(version, f.attname, None)) for f in fields}
            before = previous.get(version.id, {})
            entries.append(
                {
                    "at": version.history_date,
                    "by": str(version.history_user or _("system")),
                    "record": f"{model._meta.verbose_name} {version.id}",
                    "kind": HISTORY_KINDS.get(version.history_type, "changed"),
                    "changes": {
                        name: {"from": before.get(name), "to": value}
                        for name, value in current.items()
                        if before.get(name) != value
                    },
                }
            )
            previous[version.id] = current
    entries.sort(key=lambda entry: entry["at"])
    return entries


HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


class _ReferenceLabels:
    """Names of the records a history row points to (an organisation, a measure, a user)."""

    def __init__(self) -> None:
        self._cache: dict[tuple[type[models.Model], object], str] = {}

    def of(self, model_field: "models.Field[Any, Any]", value: object) -> object:  # any field
        if value is None or not model_field.is_relation:
            return _value(value)
        target = model_field.related_model
        assert isinstance(target, type)
        key = (target, value)
        if key not in self._cache:
            if target is Client or target is Trajectory:
                self._cache[key] = str(value)
            else:
                instance = target._default_manager.filter(pk=value).first()
                self._cache[key] = str(instance) if instance is not None else str(value)
        return self._cache[key]


def client_export_data(*, client: Client) -> Exported:
    """Everything Regie holds about one client, for the client (GDPR articles 15 and 20)."""
    trajectories = client.trajectories.prefetch_related("steps__measure", "steps__organisation")
    return {
        "exported_at": timezone.now(),
        "client": {
            **_record(client),
            "national_number": _("recorded (not exported)")
            if client.has_national_number
            else _("not recorded"),
        },
        "counsellors": [_record(c) for c in client.counsellings.select_related("counsellor")],
        "support_needs": [_record(n, exclude=("client",)) for n in client.support_needs.all()],
        "legal_bases": [_record(b, exclude=("client",)) for b in client.legal_bases.all()],
        "referrals": [
            _record(r, exclude=("client",))
            for r in client.referrals.select_related(
                "referring_organisation", "referring_person", "target_organisation", "measure"
            )
        ],
        "trajectories": [
            {
                **_record(t, exclude=("client",)),
                "steps": [_record(s, exclude=("trajectory",)) for s in t.steps.all()],
            }
            for t in trajectories
        ],
        "contacts": [_record(c, exclude=("client",)) for c in client.contacts.select_related("by")],
        "follow_ups": [_record(f, exclude=("client",)) for f in client.follow_ups.all()],
        "loans": [
            _record(loan, exclude=("client",)) for loan in client.loans.select_related("device")
        ],
        "enrolments": [
            _record(e, exclude=("client",)) for e in client.enrolments.select_related("session")
        ],
        "history": _history(client),
        "access_log": [
            {
                "at": entry.at,
                "user": entry.username,
                "role": entry.role,
                "action": entry.get_action_display(),
                "what": entry.what,
                "reason": entry.reason,
                "channel": entry.get_channel_display(),
            }
            for entry in client.access_log.order_by("at", "pk")
        ],
    }


def client_export_json(*, actor: User, client: Client, channel: Channel = Channel.WEB) -> bytes:
    data = client_export_data(client=client)
    access_record(
        user=actor, clients=[client], action=AccessAction.EXPORT, what="JSON", channel=channel
    )
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def client_export_pdf(*, actor: User, client: Client) -> bytes:
    from weasyprint import HTML  # imported on use: it parses its stylesheets when loaded
    from weasyprint.urls import URLFetcher

    data = client_export_data(client=client)
    access_record(user=actor, clients=[client], action=AccessAction.EXPORT, what="PDF")
    html = render_to_string(
        "clients/print/client_export.html",
        {"data": data, "client": client, "sections": _sections(data)},
    )
    return bytes(HTML(string=html, url_fetcher=URLFetcher(allowed_protocols=["data"])).write_pdf())


SECTIONS: list[tuple[str, type[models.Model], StrOrPromise]] = [
    ("counsellors", ClientCounsellor, _("Counsellors")),
    ("support_needs", SupportNeed, _("Support needs")),
    ("legal_bases", LegalBasis, _("Legal bases and consent")),
    ("referrals", Referral, _("Referrals")),
    ("contacts", Contact, _("Contacts")),
    ("follow_ups", ClientFollowUp, _("Follow-ups")),
    ("loans", Loan, _("Device loans")),
    ("enrolments", Enrolment, _("Digital-skills sessions")),
]


def _labelled(model: type[models.Model], record: Exported) -> list[tuple[str, object]]:
    rows = []
    for name, value in record.items():
        try:
            label = str(getattr(model._meta.get_field(name), "verbose_name", name))
        except FieldDoesNotExist:
            label = name.replace("_", " ")
        rows.append((label[:1].upper() + label[1:], "—" if value in (None, "") else value))
    return rows


def _sections(data: Exported) -> list[tuple[str, list[list[tuple[str, object]]]]]:
    """The export as titled lists of (label, value) rows, for the readable PDF."""
    sections = [(str(_("Client")), [_labelled(Client, data["client"])])]
    for key, model, title in SECTIONS[:4]:
        sections.append((str(title), [_labelled(model, record) for record in data[key]]))
    for trajectory in (dict(t) for t in data["trajectories"]):
        steps = trajectory.pop("steps", [])
        title = _("Trajectory from %(start)s") % {"start": trajectory["started_on"]}
        sections.append(
            (str(title), [_labelled(Trajectory, trajectory), *(_labelled(Step, s) for s in steps)])
        )
    for key, model, title in SECTIONS[4:]:
        sections.append((str(title), [_labelled(model, record) for record in data[key]]))
    return sections


# Erasure -------------------------------------------------------------------------------------


@transaction.atomic
def client_erase(*, actor: User, client: Client, reason: str) -> Client:
    """Erase a client's personal data on request (GDPR article 17), history included."""
    reason = reason.strip()
    if len(reason) < 5:
        raise DomainError({"reason": _("Record why the client's data are erased.")})
    client = Client.objects.select_for_update().get(pk=client.pk)
    if client.status == ClientStatus.ANONYMISED:
        raise DomainError({"reason": _("This client was already anonymised.")})
    counts = anonymise(client=client)
    access_record(
        user=actor, clients=[client], action=AccessAction.ERASE, what=_("erasure"), reason=reason
    )
    log_action(actor=actor, action="client.erase", target=client, details=counts)
    # Kept apart from the database, so that no restore of a backup brings the client back.
    erasure_record(
        target=client,
        identified_by={"code": client.code},
        eraser=anonymise,
        done_when={"status": ClientStatus.ANONYMISED},
    )
    return Client.objects.get(pk=client.pk)


def anonymise(*, client: Client) -> dict[str, int]:
    """Remove every personal value of one client and every stored version of them.

    Kept: the client row (code, region, municipality, organisation), the dates, measures and
    end reasons of referrals and steps, the kind and date of contacts, loans of devices and
    attendances — what the aggregates of past years are made of. Returns counts, never values.
    """
    pk = client.pk
    trajectory_ids = list(Trajectory.objects.filter(client_id=pk).values_list("pk", flat=True))
    counts = {
        "support_needs": SupportNeed.objects.filter(client_id=pk).delete()[0],
        "legal_bases": LegalBasis.objects.filter(client_id=pk).delete()[0],
        "follow_ups": ClientFollowUp.objects.filter(client_id=pk).delete()[0],
        "counsellors": ClientCounsellor.objects.filter(client_id=pk).delete()[0],
        "contact_notes": Contact.objects.filter(client_id=pk).exclude(note="").update(note=""),
        "referral_reasons": Referral.objects.filter(client_id=pk)
        .exclude(reason="")
        .update(reason=""),
        "step_notes": Step.objects.filter(trajectory_id__in=trajectory_ids)
        .exclude(exception_reason="")
        .update(exception_reason=""),
        "loan_notes": Loan.objects.filter(client_id=pk)
        .exclude(accessories="")
        .update(accessories=""),
    }
    Client.objects.filter(pk=pk).update(
        first_name="",
        last_name="",
        birth_date=None,
        street="",
        postcode="",
        place="",
        latitude=None,
        longitude=None,
        phone="",
        email="",
        language="",
        vdab_reference="",
        insz_encrypted=None,
        insz_hash="",
        insz_masked="",
        status=ClientStatus.ANONYMISED,
        anonymised_at=timezone.now(),
    )
    # Last, because deleting records above wrote a final version of each to the history.
    history = [
        Client.history.filter(id=pk),
        ClientCounsellor.history.filter(client_id=pk),
        SupportNeed.history.filter(client_id=pk),
        LegalBasis.history.filter(client_id=pk),
        Referral.history.filter(client_id=pk),
        Trajectory.history.filter(client_id=pk),
        Step.history.filter(trajectory_id__in=trajectory_ids),
        Contact.history.filter(client_id=pk),
        ClientFollowUp.history.filter(client_id=pk),
        Loan.history.filter(client_id=pk),
        Enrolment.history.filter(client_id=pk),
    ]
    counts["history_versions"] = sum(versions.delete()[0] for versions in history)
    return counts
