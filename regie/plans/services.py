"""Writes to the plan and the budget. Every function is keyword-only, atomic and validated."""

import datetime
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from regie.accounts.models import User
from regie.core import versioning
from regie.core.audit import log_action
from regie.core.errors import DomainError, StaleEditError
from regie.core.templatetags.regie import euro
from regie.core.versioning import KEEP, Keep, given
from regie.network.models import Body, Meeting
from regie.plans import selectors
from regie.plans.models import (
    DWSE,
    STATUSES_NEEDING_REASON,
    Action,
    ActionStatus,
    BudgetLine,
    CarryOver,
    CarryOverStatus,
    Expense,
    ExpenseStatus,
    Grant,
    Indicator,
    StatusChange,
)
from regie.registry.models import Organisation, Person, Pillar, Region


def save_new[M: Model](*, instance: M, actor: User) -> M:
    with _domain_errors():
        return versioning.save_new(instance=instance, actor=actor)


def save_versioned[M: Model](
    *, instance: M, changes: dict[str, object], expected_version: int, actor: User
) -> M:
    with _domain_errors():
        return versioning.save_versioned(
            instance=instance, changes=changes, expected_version=expected_version, actor=actor
        )


@contextmanager
def _domain_errors() -> Iterator[None]:
    """A model rule that says no (``full_clean``) is a domain error with its field messages."""
    try:
        yield
    except DomainError:
        raise
    except ValidationError as error:
        raise DomainError(getattr(error, "error_dict", None) or error.messages) from None


def _today() -> datetime.date:
    return timezone.localdate()


def _not_in_future(day: datetime.date, field: str) -> None:
    if day > _today():
        raise DomainError({field: _("This date lies in the future.")})


# Actions -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionLinks:
    """What an action points at besides its owner; ``None``: leave those links as they are."""

    partner_organisations: Iterable[Organisation] | None = None
    bodies: Iterable[Body] | None = None
    meetings: Iterable[Meeting] | None = None


def _check_links(*, region: Region, owner: Person | None, links: ActionLinks) -> None:
    """Everything an action points at belongs to its region."""
    errors: dict[str, str] = {}
    if owner is not None and owner.region_id != region.pk:
        errors["owner"] = _("The owner must be a person of the region.")
    if any(o.region_id != region.pk for o in links.partner_organisations or ()):
        errors["partner_organisations"] = _("Choose organisations of the region.")
    if any(b.region_id != region.pk for b in links.bodies or ()):
        errors["bodies"] = _("Choose bodies of the region.")
    if any(m.body.region_id != region.pk for m in links.meetings or ()):
        errors["meetings"] = _("Choose meetings of the region's bodies.")
    if errors:
        raise DomainError(errors)


def _set_links(action: Action, links: ActionLinks) -> None:
    if links.partner_organisations is not None:
        action.partner_organisations.set(links.partner_organisations)
    if links.bodies is not None:
        action.bodies.set(links.bodies)
    if links.meetings is not None:
        action.meetings.set(links.meetings)


def _given_links[T](value: Iterable[T] | Keep) -> Iterable[T] | None:
    return None if value is KEEP else value


@transaction.atomic
def action_create(
    *,
    actor: User,
    region: Region,
    pillar: Pillar,
    title: str,
    year: int,
    on: datetime.date | None = None,
    description: str = "",
    last_year: int | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
    owner: Person | None = None,
    partner_organisations: Iterable[Organisation] | None = None,
    bodies: Iterable[Body] | None = None,
    meetings: Iterable[Meeting] | None = None,
    project_reference: str = "",
    planned_budget: Decimal = Decimal("0.00"),
) -> Action:
    """A new action, planned on ``on`` (today by default): the first row of its history.
    Without ``last_year`` the action runs in ``year`` only."""
    links = ActionLinks(
        partner_organisations=partner_organisations, bodies=bodies, meetings=meetings
    )
    on = on or _today()
    _not_in_future(on, "date")
    _check_links(region=region, owner=owner, links=links)
    action = save_new(
        instance=Action(
            region=region,
            status=ActionStatus.PLANNED,
            status_since=on,
            pillar=pillar,
            title=title,
            description=description,
            year=year,
            last_year=last_year or year,
            start=start,
            end=end,
            owner=owner,
            project_reference=project_reference,
            planned_budget=planned_budget,
        ),
        actor=actor,
    )
    _set_links(action, links)
    StatusChange.objects.create(
        action=action, date=on, changed_by=actor, from_status="", to_status=ActionStatus.PLANNED
    )
    log_action(actor=actor, action="action.create", target=action)
    return action


@transaction.atomic
def action_update(
    *,
    actor: User,
    action: Action,
    expected_version: int,
    pillar: Pillar | Keep = KEEP,
    title: str | Keep = KEEP,
    description: str | Keep = KEEP,
    year: int | Keep = KEEP,
    last_year: int | Keep = KEEP,
    start: datetime.date | Keep | None = KEEP,
    end: datetime.date | Keep | None = KEEP,
    owner: Person | Keep | None = KEEP,
    partner_organisations: Iterable[Organisation] | Keep = KEEP,
    bodies: Iterable[Body] | Keep = KEEP,
    meetings: Iterable[Meeting] | Keep = KEEP,
    project_reference: str | Keep = KEEP,
    planned_budget: Decimal | Keep = KEEP,
) -> Action:
    """Change what an action is about; its status changes only through ``action_status_change``
    (and its region never)."""
    links = ActionLinks(
        partner_organisations=_given_links(partner_organisations),
        bodies=_given_links(bodies),
        meetings=_given_links(meetings),
    )
    _check_links(region=action.region, owner=action.owner if owner is KEEP else owner, links=links)
    action = save_versioned(
        instance=action,
        changes=given(
            pillar=pillar,
            title=title,
            description=description,
            year=year,
            last_year=last_year,
            start=start,
            end=end,
            owner=owner,
            project_reference=project_reference,
            planned_budget=planned_budget,
        ),
        expected_version=expected_version,
        actor=actor,
    )
    _set_links(action, links)
    return action


@transaction.atomic
def action_status_change(
    *,
    actor: User,
    action: Action,
    expected_version: int,
    status: str,
    reason: str = "",
    on: datetime.date | None = None,
    new_start: datetime.date | None = None,
    new_end: datetime.date | None = None,
) -> Action:
    """Move an action to another status and keep the change in its history.

    Postponing, putting on hold and dropping need a reason; postponing needs the new period
    (a start, and an end when known), which becomes the action's planned period and extends
    its years when it reaches into a later year.
    """
    on = on or _today()
    reason = (reason or "").strip()
    errors: dict[str, str] = {}
    if status not in ActionStatus.values:
        errors["status"] = _("Choose one of the statuses.")
    elif status == action.status:
        errors["status"] = _("The action is already “%(status)s”.") % {
            "status": action.get_status_display()
        }
    if status in STATUSES_NEEDING_REASON and not reason:
        errors["reason"] = _(
            "Give the reason why the action is %(status)s (for example: corona)."
        ) % {"status": ActionStatus(status).label.lower()}
    if on > _today():
        errors["date"] = _("A status change cannot be dated in the future.")
    elif action.status_since and on < action.status_since:
        errors["date"] = _(
            "The status last changed on %(date)s: a new change cannot be dated before that."
        ) % {"date": selectors.short_date(action.status_since)}
    if status == ActionStatus.POSTPONED:
        if new_start is None:
            errors["new_start"] = _("Give the new period: when will the action start again?")
        elif new_start < on:
            errors["new_start"] = _("The new start lies before the date of the postponement.")
        if new_start and new_end and new_end < new_start:
            errors["new_end"] = _("The end date is before the start date.")
    else:
        new_start = new_end = None
    if errors:
        raise DomainError(errors)

    changes: dict[str, object] = {"status": status, "status_since": on}
    if status == ActionStatus.POSTPONED and new_start is not None:
        changes["start"] = new_start
        changes["end"] = new_end
        changes["last_year"] = max(action.last_year, new_start.year, (new_end or new_start).year)
    previous = action.status
    action = save_versioned(
        instance=action, changes=changes, expected_version=expected_version, actor=actor
    )
    change = StatusChange(
        action=action,
        date=on,
        changed_by=actor,
        from_status=previous,
        to_status=status,
        reason=reason,
        new_start=new_start,
        new_end=new_end,
    )
    with _domain_errors():
        change.full_clean()
    change.save()
    log_action(
        actor=actor,
        action="action.status",
        target=action,
        details={"from": previous, "to": status, "reason": reason, "date": on.isoformat()},
    )
    return action


@transaction.atomic
def indicator_create(
    *,
    actor: User,
    action: Action,
    name: str,
    unit: str = "",
    target: Decimal | None = None,
    actual: Decimal | None = None,
) -> Indicator:
    return save_new(
        instance=Indicator(action=action, name=name, unit=unit, target=target, actual=actual),
        actor=actor,
    )


@transaction.atomic
def indicator_update(
    *,
    actor: User,
    indicator: Indicator,
    expected_version: int,
    name: str | Keep = KEEP,
    unit: str | Keep = KEEP,
    target: Decimal | Keep | None = KEEP,
    actual: Decimal | Keep | None = KEEP,
) -> Indicator:
    return save_versioned(
        instance=indicator,
        changes=given(name=name, unit=unit, target=target, actual=actual),
        expected_version=expected_version,
        actor=actor,
    )


# Grant and budget ----------------------------------------------------------------------------


class GrantFields(TypedDict):
    amount: Decimal
    calculated_amount: Decimal | None
    calculation: dict[str, object]
    funder: str
    decision_reference: str
    decision_date: datetime.date | None
    notes: str


@transaction.atomic
def grant_set(
    *,
    actor: User,
    region: Region,
    year: int,
    funder: str = DWSE,
    decision_reference: str = "",
    decision_date: datetime.date | None = None,
    notes: str = "",
    amount: Decimal | None = None,
    expected_version: int | None = None,
) -> Grant:
    """Record the grant of a year. For 2014–2022 the population rule computes it from the member
    municipalities' population (never typed in); a granted amount that differs from the rule
    needs a note. From 2023 the amount of the funder's decision is entered.

    ``expected_version``: the version the user started from, 0 when they saw no grant yet;
    None skips the check (the demo loader)."""
    calculation = selectors.grant_calculation(region=region, year=year)
    calculated: Decimal | None = None
    if calculation.rule_applies:
        if not calculation.members:
            raise DomainError(
                {
                    "amount": _(
                        "The region has no member municipalities on 1 January %(year)s: add "
                        "them in the registry first."
                    )
                    % {"year": year}
                }
            )
        if calculation.missing:
            raise DomainError(
                {
                    "amount": _(
                        "No population is known for %(names)s in %(year)s or before: add it in "
                        "the registry first."
                    )
                    % {"names": ", ".join(m.name for m in calculation.missing), "year": year}
                }
            )
        assert calculation.result is not None
        calculated = calculation.result.amount
        if amount is None:
            amount = calculated
        elif amount != calculated and not notes.strip():
            raise DomainError(
                {
                    "notes": _(
                        "The amount differs from the %(calculated)s of the population rule: "
                        "explain why in the notes."
                    )
                    % {"calculated": euro(calculated)}
                }
            )
    elif amount is None:
        raise DomainError(
            {
                "amount": _(
                    "From 2023 the grant does not follow the population rule: enter the amount "
                    "of the funder's decision."
                )
            }
        )
    fields: GrantFields = {
        "amount": amount,
        "calculated_amount": calculated,
        "calculation": calculation.as_json() if calculated is not None else {},
        "funder": funder or DWSE,
        "decision_reference": decision_reference,
        "decision_date": decision_date,
        "notes": notes,
    }
    existing = Grant.objects.select_for_update().filter(region=region, year=year).first()
    if existing is not None and expected_version == 0:
        raise StaleEditError(
            _(
                "Someone recorded the grant of %(year)s while you were entering it. Your "
                "changes were not saved: compare them with the stored grant and save again."
            )
            % {"year": year},
            record=existing,
            changes=None,
        )
    if existing is None:
        grant = save_new(instance=Grant(region=region, year=year, **fields), actor=actor)
    else:
        grant = save_versioned(
            instance=existing,
            changes=dict(fields),
            expected_version=existing.version if expected_version is None else expected_version,
            actor=actor,
        )
    log_action(
        actor=actor,
        action="grant.set",
        target=grant,
        details={"amount": str(amount), "calculated": str(calculated) if calculated else None},
    )
    return grant


@transaction.atomic
def budget_line_create(
    *,
    actor: User,
    grant: Grant,
    title: str,
    amount: Decimal,
    action: Action | None = None,
    notes: str = "",
) -> BudgetLine:
    line = BudgetLine(grant=grant, title=title, amount=amount, action=action, notes=notes)
    return save_new(instance=line, actor=actor)


@transaction.atomic
def budget_line_update(
    *,
    actor: User,
    line: BudgetLine,
    expected_version: int,
    title: str | Keep = KEEP,
    amount: Decimal | Keep = KEEP,
    action: Action | Keep | None = KEEP,
    notes: str | Keep = KEEP,
) -> BudgetLine:
    return save_versioned(
        instance=line,
        changes=given(title=title, amount=amount, action=action, notes=notes),
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def expense_create(
    *,
    actor: User,
    grant: Grant,
    date: datetime.date,
    amount: Decimal,
    supplier: str,
    description: str,
    line: BudgetLine | None = None,
    action: Action | None = None,
    status: str = ExpenseStatus.PAID,
    document: str = "",
) -> Expense:
    expense = Expense(
        grant=grant,
        date=date,
        amount=amount,
        supplier=supplier,
        description=description,
        line=line,
        action=action,
        status=status,
        document=document,
    )
    expense = save_new(instance=expense, actor=actor)
    log_action(
        actor=actor,
        action="expense.create",
        target=grant,
        details={"expense": expense.pk, "amount": str(expense.amount), "status": expense.status},
    )
    return expense


@transaction.atomic
def expense_update(
    *,
    actor: User,
    expense: Expense,
    expected_version: int,
    date: datetime.date | Keep = KEEP,
    amount: Decimal | Keep = KEEP,
    supplier: str | Keep = KEEP,
    description: str | Keep = KEEP,
    line: BudgetLine | Keep | None = KEEP,
    action: Action | Keep | None = KEEP,
    status: str | Keep = KEEP,
    document: str | Keep = KEEP,
) -> Expense:
    """Change an expense, e.g. mark a commitment as paid; a mistake is cancelled, not deleted."""
    changes = given(
        date=date,
        amount=amount,
        supplier=supplier,
        description=description,
        line=line,
        action=action,
        status=status,
        document=document,
    )
    return save_versioned(
        instance=expense, changes=changes, expected_version=expected_version, actor=actor
    )


# Carry-over requests -------------------------------------------------------------------------


def _check_carry_over_amount(*, region: Region, year: int, amount: Decimal) -> None:
    if amount is None or amount <= 0:
        raise DomainError(
            {"amount": _("Enter an amount above zero: negative amounts and zero are not accepted.")}
        )
    unspent = selectors.budget_balance(region=region, year=year).unspent
    if amount > unspent:
        raise DomainError(
            {
                "amount": _(
                    "You can carry over at most the unspent amount of %(year)s: %(unspent)s."
                )
                % {"year": year, "unspent": euro(max(unspent, Decimal("0.00")))}
            }
        )


def _only_draft(carry_over: CarryOver) -> None:
    if carry_over.status != CarryOverStatus.DRAFT:
        raise DomainError(
            _("This request is %(status)s: only a draft can be changed.")
            % {"status": carry_over.get_status_display().lower()}
        )


@transaction.atomic
def carryover_draft(
    *, actor: User, region: Region, year: int, amount: Decimal, justification: str
) -> CarryOver:
    """Start the request to carry unspent funds of ``year`` over to the next year."""
    existing = CarryOver.objects.filter(region=region, year=year).first()
    if existing is not None:
        raise DomainError(
            {
                "year": _(
                    "There is already a carry-over request for %(year)s (%(status)s): a region "
                    "makes one request per year."
                )
                % {"year": year, "status": existing.get_status_display().lower()}
            }
        )
    _check_carry_over_amount(region=region, year=year, amount=amount)
    carry_over = save_new(
        instance=CarryOver(region=region, year=year, amount=amount, justification=justification),
        actor=actor,
    )
    log_action(
        actor=actor, action="carryover.draft", target=carry_over, details={"amount": str(amount)}
    )
    return carry_over


@transaction.atomic
def carryover_update(
    *,
    actor: User,
    carry_over: CarryOver,
    expected_version: int,
    amount: Decimal,
    justification: str,
) -> CarryOver:
    _only_draft(carry_over)
    _check_carry_over_amount(region=carry_over.region, year=carry_over.year, amount=amount)
    return save_versioned(
        instance=carry_over,
        changes={"amount": amount, "justification": justification},
        expected_version=expected_version,
        actor=actor,
    )


@transaction.atomic
def carryover_save(
    *,
    actor: User,
    region: Region,
    year: int,
    expected_version: int,
    amount: Decimal,
    justification: str,
) -> CarryOver:
    """Save the request page's draft: a new request when the user started from none
    (``expected_version`` 0; refused when someone drafted one meanwhile, rather than
    overwriting theirs), else the draft they opened."""
    existing = CarryOver.objects.select_for_update().filter(region=region, year=year).first()
    if existing is None or expected_version == 0:
        return carryover_draft(
            actor=actor, region=region, year=year, amount=amount, justification=justification
        )
    return carryover_update(
        actor=actor,
        carry_over=existing,
        expected_version=expected_version,
        amount=amount,
        justification=justification,
    )


@transaction.atomic
def carryover_submit(
    *,
    actor: User,
    carry_over: CarryOver,
    expected_version: int,
    on: datetime.date | None = None,
) -> CarryOver:
    """Send the request to the funder: from now on only the decision can be recorded."""
    _only_draft(carry_over)
    on = on or _today()
    _not_in_future(on, "submitted_on")
    _check_carry_over_amount(
        region=carry_over.region, year=carry_over.year, amount=carry_over.amount
    )
    carry_over = save_versioned(
        instance=carry_over,
        changes={"status": CarryOverStatus.SUBMITTED, "submitted_on": on},
        expected_version=expected_version,
        actor=actor,
    )
    log_action(actor=actor, action="carryover.submit", target=carry_over)
    return carry_over


@transaction.atomic
def carryover_decide(
    *,
    actor: User,
    carry_over: CarryOver,
    expected_version: int,
    approved: bool,
    decision_date: datetime.date,
    decision_reference: str,
    approved_amount: Decimal | None = None,
) -> CarryOver:
    """Record the funder's decision; an approved amount becomes income of the next year."""
    if carry_over.status != CarryOverStatus.SUBMITTED:
        raise DomainError(
            _("Only a submitted request gets a decision; this one is %(status)s.")
            % {"status": carry_over.get_status_display().lower()}
        )
    errors: dict[str, str] = {}
    if decision_date is None:
        errors["decision_date"] = _("Give the date of the decision.")
    elif decision_date > _today():
        errors["decision_date"] = _("This date lies in the future.")
    elif carry_over.submitted_on and decision_date < carry_over.submitted_on:
        errors["decision_date"] = _(
            "The decision cannot be dated before the request was submitted (%(date)s)."
        ) % {"date": selectors.short_date(carry_over.submitted_on)}
    if not (decision_reference or "").strip():
        errors["decision_reference"] = _("Give the reference of the decision.")
    if approved:
        approved_amount = carry_over.amount if approved_amount is None else approved_amount
        if approved_amount <= 0:
            errors["approved_amount"] = _(
                "Enter an amount above zero: negative amounts and zero are not accepted."
            )
        elif approved_amount > carry_over.amount:
            errors["approved_amount"] = _(
                "The approved amount cannot be more than the %(amount)s requested."
            ) % {"amount": euro(carry_over.amount)}
    else:
        approved_amount = None
    if errors:
        raise DomainError(errors)
    carry_over = save_versioned(
        instance=carry_over,
        changes={
            "status": CarryOverStatus.APPROVED if approved else CarryOverStatus.REFUSED,
            "decision_date": decision_date,
            "decision_reference": decision_reference.strip(),
            "approved_amount": approved_amount,
        },
        expected_version=expected_version,
        actor=actor,
    )
    log_action(
        actor=actor,
        action="carryover.approve" if approved else "carryover.refuse",
        target=carry_over,
        details={"approved_amount": str(approved_amount) if approved_amount else None},
    )
    return carry_over
