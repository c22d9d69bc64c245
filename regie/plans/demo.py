"""The demo plan and budget of Welzijn13 for 2020 (and the start of 2021), after the 2020 report.

The report tells: planned actions were postponed because of corona, the RASE track was put on
hold, the operating funds were not fully used and DWSE approved carrying the unspent funds over
to 2021. The actions below follow the report's three tasks; suppliers, amounts, references and
dates of the budget are made up.

``plans_demo_load(region=..., actor=...)`` needs the registry demo (municipalities, their 2020
population, organisations and people) and is idempotent: rows are found by natural keys
(an action by region, year and title; a budget line by grant and title; an expense by grant,
date, supplier and description) and what exists is left alone. Bodies of the networks are
linked by name when they exist (werkgroep RASE, AZ-fabriek …); running it again after the
networks demo adds the links.
"""

import datetime
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from typing import TypedDict

from django.db import transaction
from django.db.models import Q
from django.utils import translation

from regie.accounts.models import User
from regie.network.models import Body, Meeting
from regie.plans import selectors, services
from regie.plans.models import (
    Action,
    ActionStatus,
    BudgetLine,
    CarryOver,
    CarryOverStatus,
    Expense,
    ExpenseStatus,
    Grant,
    Indicator,
)
from regie.registry.demo import DemoContext
from regie.registry.models import Organisation, Person, Pillar, Region

d = datetime.date
S = ActionStatus
DWSE = "Departement Werk en Sociale Economie"


@dataclass(frozen=True)
class Change:
    on: datetime.date
    status: ActionStatus
    reason: str = ""
    new_start: datetime.date | None = None
    new_end: datetime.date | None = None


@dataclass(frozen=True)
class ActionRow:
    pillar: str
    title: str
    description: str
    year: int
    created: datetime.date
    changes: tuple[Change, ...] = ()
    last_year: int | None = None
    start: datetime.date | None = None
    end: datetime.date | None = None
    partners: tuple[str, ...] = ()  # organisation names in the region
    bodies: tuple[str, ...] = ()  # body names, linked when the networks hold them
    meetings: tuple[str, ...] = ()  # meeting titles of those bodies, linked likewise
    project: str = ""
    budget: str = "0.00"
    indicators: tuple[tuple[str, str, str, str | None], ...] = ()  # name, unit, target, actual


CORONA = "corona"

ACTIONS: tuple[ActionRow, ...] = (
    # 1. Lokale SE versterken
    ActionRow(
        "OD-1",
        "Overlegplatformen AZ-fabriek, LDE-fabriek en Actiegroep",
        "De overlegplatformen blijven samenkomen; vast extra agendapunt in 2020: hoe omgaan met "
        "de corona-uitdagingen op de werkvloeren?",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 1, 6), S.RUNNING), Change(d(2020, 12, 18), S.DONE)),
        partners=("Maatwerkbedrijf Blauwe Vlasbloem", "Arbeidszorg De Zonnewijzer"),
        bodies=("AZ-fabriek", "LDE-fabriek", "Actiegroep"),
        budget="3500.00",
        indicators=(("Overlegmomenten", "vergaderingen", "12", "11"),),
    ),
    ActionRow(
        "OD-1",
        "Lerend Netwerk voor Trajectbegeleiders",
        "Leren van elkaar: hoe gaan jullie om met deze crisis? Samen de opgelegde maatregelen "
        "interpreteren en naar de praktijk vertalen.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 1, 6), S.RUNNING), Change(d(2020, 12, 18), S.DONE)),
        partners=("VDAB Kortrijk", "GTB Kortrijk", "Arbeidszorg De Zonnewijzer"),
        bodies=("Lerend Netwerk Trajectbegeleiders", "Lerend Netwerk voor Trajectbegeleiders"),
        indicators=(("Bijeenkomsten", "bijeenkomsten", "6", "6"),),
    ),
    ActionRow(
        "OD-1",
        "Doelgroep bereiken in coronatijd: stoepgesprekken, digitale opvoeding en apparatuur",
        "Nieuwe manieren om de doelgroep te bereiken: stoepgesprekken, digitale opvoeding en de "
        "nodige apparatuur en knowhow ter beschikking stellen.",
        2020,
        d(2020, 4, 1),
        (Change(d(2020, 4, 1), S.RUNNING), Change(d(2020, 12, 18), S.DONE)),
        partners=("Digitaal Buurtatelier Muisklik", "Arbeidszorg De Zonnewijzer"),
        budget="5000.00",
        indicators=(("Uitgeleende toestellen", "toestellen", "25", "21"),),
    ),
    ActionRow(
        "OD-1",
        "Experiment thuiswerk voor AZ-medewerkers",
        "Cliënten die niet naar hun werkplek mochten of durfden, kregen materiaal thuis "
        "aangeleverd; bij het rondbrengen een babbeltje aan de voordeur.",
        2020,
        d(2020, 4, 15),
        (Change(d(2020, 4, 15), S.RUNNING), Change(d(2020, 10, 30), S.DONE)),
        partners=("Maatwerkbedrijf Blauwe Vlasbloem", "Reigersnest Maatwerk"),
    ),
    ActionRow(
        "OD-1",
        "Impact van individueel maatwerk op LDE-organisaties en maatwerkbedrijven",
        "De komst van individueel maatwerk en de impact op organisaties met veel SINE- en "
        "LDE-medewerkers in kaart brengen; gesprek met het kabinet van de Vlaamse minister van "
        "Werk in september.",
        2020,
        d(2020, 6, 1),
        (Change(d(2020, 6, 1), S.RUNNING), Change(d(2020, 9, 24), S.DONE)),
        partners=(
            "Kabinet van de Vlaamse minister van Werk",
            "Werkhuis De Kantelaar",
            "Maatwerkbedrijf Blauwe Vlasbloem",
        ),
        bodies=("Overleg met het kabinet van de Vlaamse minister van Werk",),
    ),
    ActionRow(
        "OD-1",
        "Infosessie sociale clausules in overheidsopdrachten",
        "De lokale besturen informeren over sociale clausules in hun overheidsopdrachten.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 3, 16), S.POSTPONED, CORONA, d(2021, 3, 1), d(2021, 6, 30)),),
        start=d(2020, 4, 1),
        end=d(2020, 5, 31),
        budget="2500.00",
    ),
    ActionRow(
        "OD-1",
        "Kaart van de lokale sociale economie actualiseren",
        "De sociale-economieorganisaties van de regio en hun aanbod opnieuw in kaart brengen.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 4, 20), S.POSTPONED, CORONA, d(2021, 1, 15), d(2021, 5, 31)),),
    ),
    # 2. Inzetten op een netwerkgebeuren
    ActionRow(
        "OD-2",
        "ROSE – Regionaal Overleg Sociale Economie",
        "Alle belanghebbenden ontmoeten elkaar: SE-organisaties, lokale besturen, "
        "werkplekarchitecten, VDAB …",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 1, 6), S.RUNNING), Change(d(2020, 2, 20), S.DONE)),
        partners=("VDAB Kortrijk", "OCMW Kortrijk"),
        bodies=("Regionaal overleg",),
        meetings=("ROSE 2020",),
        budget="2500.00",
        indicators=(("Deelnemers", "personen", "80", "74"),),
    ),
    ActionRow(
        "OD-2",
        "Trefdag voor toeleiders (OCMW en VDAB)",
        "De samenwerking tussen de toeleiders van OCMW en VDAB optimaliseren.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 1, 6), S.RUNNING), Change(d(2020, 3, 5), S.DONE)),
        partners=("VDAB Kortrijk", "GTB Kortrijk", "OCMW Kortrijk", "OCMW Menen"),
        bodies=("Regionaal overleg",),
        meetings=("Trefdag voor toeleiders 2020",),
        budget="2000.00",
        indicators=(("Deelnemers", "personen", "50", "46"),),
    ),
    ActionRow(
        "OD-2",
        "Groot netwerkmoment sociale economie",
        "Het jaarlijkse grote netwerkmoment voor de hele regio.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 3, 16), S.POSTPONED, CORONA, d(2021, 10, 1), d(2021, 10, 31)),),
        start=d(2020, 10, 1),
        end=d(2020, 10, 31),
        bodies=("Regionaal overleg",),
        budget="6000.00",
    ),
    # 3. Inzetten op MVO
    ActionRow(
        "OD-3",
        "Werkgroep RASE – Regionale Actie Sociale Energie",
        "Van elkaar leren over duurzaam investeren als organisatie. Twee bijeenkomsten begin "
        "2020; daarna on hold gezet.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 1, 6), S.RUNNING), Change(d(2020, 3, 16), S.ON_HOLD, CORONA)),
        partners=("Zilverspoor Maatwerk", "Groenatelier Pimpernel"),
        bodies=("werkgroep RASE",),
        budget="2000.00",
        indicators=(("Bijeenkomsten", "bijeenkomsten", "6", "2"),),
    ),
    ActionRow(
        "OD-3",
        "MVO-ontbijt met werkgevers",
        "Werkgevers en sociale-economieorganisaties rond de tafel over maatschappelijk "
        "verantwoord ondernemen.",
        2020,
        d(2020, 1, 6),
        (Change(d(2020, 3, 16), S.POSTPONED, CORONA, d(2021, 5, 1), d(2021, 6, 30)),),
        partners=("Voka West-Vlaanderen",),
        budget="1500.00",
    ),
    ActionRow(
        "OD-3",
        "ESF520 Circulair werk(t): verkenning en dossier",
        "Onderzoeken wat de ESF-oproep 520 Circulair werk(t) voor de regio kan betekenen en "
        "samen met partners een dossier indienen.",
        2020,
        d(2020, 9, 1),
        (Change(d(2020, 9, 1), S.RUNNING),),
        last_year=2021,
        partners=(
            "Voka West-Vlaanderen",
            "Howest",
            "Designregio Kortrijk",
            "Intercommunale Leiedal",
        ),
        project="ESF520 Circulair werk(t)",
    ),
    ActionRow(
        "OD-3",
        "Regionaal fietsproject voor mensen met een afstand tot de arbeidsmarkt",
        "Samen met alle lokale besturen (elektrische) fietsen ter beschikking stellen; op het "
        "einde van het traject kan de fiets eigendom worden van de cliënt. Verder uitgerold "
        "in 2021.",
        2020,
        d(2020, 10, 1),
        (Change(d(2020, 10, 1), S.RUNNING),),
        last_year=2021,
        partners=("Fietsherstel Spaakwiel", "Mobiliteitspunt Tandem"),
        project="Regionaal fietsproject",
    ),
    # 2021
    ActionRow(
        "OD-1",
        "Overlegplatformen AZ-fabriek, LDE-fabriek en Actiegroep 2021",
        "De overlegplatformen in 2021, met de overgang van arbeidszorg naar arbeidsmatige "
        "activiteiten (1 april 2021).",
        2021,
        d(2021, 1, 11),
        (Change(d(2021, 1, 11), S.RUNNING),),
        partners=("Maatwerkbedrijf Blauwe Vlasbloem", "Arbeidszorg De Zonnewijzer"),
        bodies=("AZ-fabriek", "LDE-fabriek", "Actiegroep"),
        budget="3500.00",
    ),
    ActionRow(
        "OD-2",
        "ROSE 2021 (digitaal)",
        "Het Regionaal Overleg Sociale Economie in een digitale vorm.",
        2021,
        d(2021, 1, 11),
        partners=("VDAB Kortrijk",),
        budget="1500.00",
    ),
)


@dataclass(frozen=True)
class LineRow:
    year: int
    title: str
    amount: str
    action: str = ""  # the title of the action


LINES: tuple[LineRow, ...] = (
    LineRow(2020, "Personeelskost regisseur (aandeel werkingsmiddelen)", "47500.00"),
    LineRow(
        2020,
        "Overlegplatformen en lerend netwerk",
        "3500.00",
        "Overlegplatformen AZ-fabriek, LDE-fabriek en Actiegroep",
    ),
    LineRow(2020, "ROSE en Trefdag voor toeleiders", "4500.00"),
    LineRow(2020, "Groot netwerkmoment", "6000.00", "Groot netwerkmoment sociale economie"),
    LineRow(
        2020,
        "Infosessies sociale clausules",
        "2500.00",
        "Infosessie sociale clausules in overheidsopdrachten",
    ),
    LineRow(2020, "Werkgroep RASE", "2000.00", "Werkgroep RASE – Regionale Actie Sociale Energie"),
    LineRow(
        2020,
        "Coronamaatregelen: apparatuur en thuiswerk",
        "5000.00",
        "Doelgroep bereiken in coronatijd: stoepgesprekken, digitale opvoeding en apparatuur",
    ),
    LineRow(2020, "Communicatie en drukwerk", "2500.00"),
    LineRow(2020, "MVO-ontbijt", "1500.00", "MVO-ontbijt met werkgevers"),
    LineRow(2021, "Personeelskost regisseur (aandeel werkingsmiddelen)", "47500.00"),
    LineRow(
        2021,
        "Infosessies sociale clausules",
        "2500.00",
        "Infosessie sociale clausules in overheidsopdrachten",
    ),
    LineRow(2021, "Groot netwerkmoment", "8000.00", "Groot netwerkmoment sociale economie"),
)


@dataclass(frozen=True)
class ExpenseRow:
    on: datetime.date
    supplier: str
    description: str
    amount: str
    line: str = ""
    document: str = ""
    status: ExpenseStatus = ExpenseStatus.PAID


STAFF = "Welzijn13 (interne doorrekening)"
PERSONNEL = "Personeelskost regisseur (aandeel werkingsmiddelen)"
# Fictional suppliers; 2020 leaves €18.300,15 of the €75.000,00 grant unspent.
EXPENSES: tuple[ExpenseRow, ...] = (
    *(
        ExpenseRow(day, STAFF, f"Loonkost regisseur {quarter} 2020", "11875.00", PERSONNEL)
        for quarter, day in (
            ("Q1", d(2020, 3, 31)),
            ("Q2", d(2020, 6, 30)),
            ("Q3", d(2020, 9, 30)),
            ("Q4", d(2020, 12, 31)),
        )
    ),
    ExpenseRow(
        d(2020, 1, 28),
        "Studiebureau Zonnekracht",
        "Sprekersvergoeding werkgroep RASE",
        "350.00",
        "Werkgroep RASE",
        "F-2020-0031",
    ),
    ExpenseRow(
        d(2020, 2, 4),
        "Ontmoetingscentrum De Schakel",
        "Vergaderzaal AZ-fabriek",
        "240.00",
        "Overlegplatformen en lerend netwerk",
        "2020/117",
    ),
    ExpenseRow(
        d(2020, 2, 20),
        "Ontmoetingscentrum De Schakel",
        "Zaalhuur en catering ROSE",
        "1642.50",
        "ROSE en Trefdag voor toeleiders",
        "2020/152",
    ),
    ExpenseRow(
        d(2020, 3, 5),
        "Traiteur Leiezicht",
        "Catering Trefdag voor toeleiders",
        "987.40",
        "ROSE en Trefdag voor toeleiders",
        "VF20-0088",
    ),
    ExpenseRow(
        d(2020, 5, 12),
        "Computerhuis Bitwijs",
        "Tablets en 4G-kaarten voor digitale opvoeding",
        "3186.75",
        "Coronamaatregelen: apparatuur en thuiswerk",
        "INV-20-4471",
    ),
    ExpenseRow(
        d(2020, 5, 20),
        "Kunststoffen Glasheldere",
        "Plexischermen en alcoholgel voor de werkvloeren",
        "1236.90",
        "Coronamaatregelen: apparatuur en thuiswerk",
        "2020-0519",
    ),
    ExpenseRow(
        d(2020, 6, 8),
        "Atelierbenodigdheden Het Knooppunt",
        "Materiaal thuiswerk AZ-medewerkers",
        "412.30",
        "Coronamaatregelen: apparatuur en thuiswerk",
        "F0612",
    ),
    ExpenseRow(
        d(2020, 10, 15),
        "Drukkerij Letterzetter",
        "Drukwerk folders regierol",
        "845.00",
        "Communicatie en drukwerk",
        "2020-1388",
    ),
    ExpenseRow(
        d(2020, 11, 20),
        "Webinar Wolk",
        "Licentie voor digitale overlegmomenten",
        "299.00",
        "Overlegplatformen en lerend netwerk",
        "WW-88213",
    ),
    ExpenseRow(d(2021, 3, 31), STAFF, "Loonkost regisseur Q1 2021", "11875.00", PERSONNEL),
    ExpenseRow(
        d(2021, 4, 20),
        "Studiebureau Zonnekracht",
        "Sprekers infosessie sociale clausules",
        "450.00",
        "Infosessies sociale clausules",
        "OFF-2021-012",
        ExpenseStatus.COMMITTED,
    ),
)

GRANT_DECISIONS = {
    2020: ("RLSE/2020/W13", d(2019, 12, 20)),
    2021: ("RLSE/2021/W13", d(2020, 12, 18)),
}
CARRY_OVER_SUBMITTED = d(2020, 12, 14)
CARRY_OVER_DECISION = ("DWSE/SE/2021/0187", d(2021, 2, 26))
OWNER = ("Hanne", "Verschaeve")


class ExpenseKey(TypedDict):
    """What tells a demo expense apart (so loading the demo again adds none twice)."""

    grant: Grant
    date: datetime.date
    supplier: str
    description: str


@dataclass
class PlansDemoSummary:
    actions: int
    status_changes: int
    grants: int
    expenses: int
    created: int


def demo_load(*, context: DemoContext) -> str:
    """The action plan and budget of the demo region (called by ``manage.py load_demo``)."""
    summary = plans_demo_load(region=context.region, actor=context.actor)
    return (
        f"action plan     {summary.actions} actions, {summary.status_changes} status changes, "
        f"{summary.grants} grants, {summary.expenses} expenses; this run {summary.created} created"
    )


@transaction.atomic
def plans_demo_load(*, region: Region, actor: User) -> PlansDemoSummary:
    """Load the demo plan and budget of ``region`` (the registry demo's Welzijn13)."""
    tally: Counter[str] = Counter()
    with translation.override("nl"):
        actions = {
            row.title: _action_upsert(row, region=region, actor=actor, tally=tally)
            for row in ACTIONS
        }
        grants = {
            year: _grant(region=region, year=year, actor=actor, tally=tally)
            for year in (2020, 2021)
        }
        lines: dict[tuple[int, str], BudgetLine] = {}
        for line_row in LINES:
            grant = grants[line_row.year]
            line = BudgetLine.objects.filter(grant=grant, title=line_row.title).first()
            if line is None:
                tally["created"] += 1
                line = services.budget_line_create(
                    actor=actor,
                    grant=grant,
                    title=line_row.title,
                    amount=Decimal(line_row.amount),
                    action=actions[line_row.action] if line_row.action else None,
                )
            lines[line_row.year, line_row.title] = line
        for expense_row in EXPENSES:
            grant = grants[expense_row.on.year]
            lookup: ExpenseKey = {
                "grant": grant,
                "date": expense_row.on,
                "supplier": expense_row.supplier,
                "description": expense_row.description,
            }
            if not Expense.objects.filter(**lookup).exists():
                tally["created"] += 1
                line = lines.get((expense_row.on.year, expense_row.line))
                services.expense_create(
                    actor=actor,
                    amount=Decimal(expense_row.amount),
                    line=line,
                    action=line.action if line else None,
                    document=expense_row.document,
                    status=expense_row.status,
                    **lookup,
                )
        _carry_over(region=region, actor=actor, tally=tally)
    return PlansDemoSummary(
        actions=Action.objects.filter(region=region).count(),
        status_changes=sum(a.status_changes.count() for a in actions.values()),
        grants=Grant.objects.filter(region=region).count(),
        expenses=Expense.objects.filter(grant__region=region).count(),
        created=tally["created"],
    )


def _action_upsert(row: ActionRow, *, region: Region, actor: User, tally: Counter[str]) -> Action:
    bodies = list(Body.objects.filter(_any("name", row.bodies), region=region))
    meetings = list(Meeting.objects.filter(_any("title", row.meetings), body__region=region))
    action = Action.objects.filter(region=region, year=row.year, title=row.title).first()
    if action is not None:
        # The networks may have been loaded after the plan: link what exists now.
        action.bodies.add(*bodies)
        action.meetings.add(*meetings)
        return action
    tally["created"] += 1
    action = services.action_create(
        actor=actor,
        region=region,
        on=row.created,
        pillar=Pillar.objects.get(code=row.pillar),
        title=row.title,
        description=row.description,
        year=row.year,
        last_year=row.last_year or row.year,
        start=row.start,
        end=row.end,
        owner=Person.objects.filter(region=region, first_name=OWNER[0], last_name=OWNER[1]).first(),
        partner_organisations=list(
            Organisation.objects.filter(region=region, name__in=row.partners)
        ),
        bodies=bodies,
        meetings=meetings,
        project_reference=row.project,
        planned_budget=Decimal(row.budget),
    )
    for change in row.changes:
        action = services.action_status_change(
            actor=actor,
            action=action,
            expected_version=action.version,
            status=change.status,
            reason=change.reason,
            on=change.on,
            new_start=change.new_start,
            new_end=change.new_end,
        )
    for name, unit, target, actual in row.indicators:
        Indicator.objects.create(
            action=action,
            name=name,
            unit=unit,
            target=Decimal(target),
            actual=Decimal(actual) if actual is not None else None,
        )
    return action


def _any(field: str, names: tuple[str, ...]) -> Q:
    """Matches one of ``names`` whatever the case; matches nothing when there are none."""
    match = Q(pk__in=[])
    for name in names:
        match |= Q(**{f"{field}__iexact": name})
    return match


def _grant(*, region: Region, year: int, actor: User, tally: Counter[str]) -> Grant:
    """The grant by the population rule (2021 uses the 2020 figures, the latest known)."""
    grant = Grant.objects.filter(region=region, year=year).first()
    if grant is None:
        tally["created"] += 1
        reference, decided = GRANT_DECISIONS[year]
        grant = services.grant_set(
            actor=actor,
            region=region,
            year=year,
            funder=DWSE,
            decision_reference=reference,
            decision_date=decided,
        )
    return grant


def _carry_over(*, region: Region, actor: User, tally: Counter[str]) -> CarryOver:
    carry_over = CarryOver.objects.filter(region=region, year=2020).first()
    if carry_over is not None:
        return carry_over
    tally["created"] += 1
    unspent = selectors.budget_balance(region=region, year=2020).unspent
    carry_over = services.carryover_draft(
        actor=actor,
        region=region,
        year=2020,
        amount=unspent,
        justification=selectors.carryover_justification(region=region, year=2020),
    )
    carry_over = services.carryover_submit(
        actor=actor,
        carry_over=carry_over,
        expected_version=carry_over.version,
        on=CARRY_OVER_SUBMITTED,
    )
    reference, decided = CARRY_OVER_DECISION
    carry_over = services.carryover_decide(
        actor=actor,
        carry_over=carry_over,
        expected_version=carry_over.version,
        approved=True,
        decision_date=decided,
        decision_reference=reference,
    )
    assert carry_over.status == CarryOverStatus.APPROVED
    return carry_over
