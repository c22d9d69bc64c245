"""The plan's and the budget's documents: XLSX and PDF exports and the carry-over letter (PDF
and DOCX) for the funder.

PDFs are rendered by WeasyPrint from templates under ``plans/print/``; fonts come from the
system (DejaVu Sans) and nothing is fetched (only ``data:`` URLs are allowed). Every text cell
of a workbook is neutralised so a spreadsheet never reads it as a formula.
"""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from regie.core.documents import docx_bytes, docx_new
from regie.core.spreadsheets import Cell, date_number_format, xlsx_value
from regie.core.templatetags.regie import euro
from regie.plans.models import CarryOver
from regie.plans.selectors import Board, BudgetYear
from regie.registry.models import Site

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
EURO_FORMAT = '#,##0.00 "€"'


def render_pdf(template: str, context: dict[str, object]) -> bytes:
    html = render_to_string(template, {**context, "printed_at": timezone.now()})
    fetcher = URLFetcher(allowed_protocols=["data"])
    return bytes(HTML(string=html, url_fetcher=fetcher).write_pdf())


# Workbooks -----------------------------------------------------------------------------------


def _empty_workbook() -> Workbook:
    """A workbook without the sheet openpyxl starts with: each sheet is added with its title."""
    workbook = Workbook()
    for sheet in workbook.worksheets:
        workbook.remove(sheet)
    return workbook


def _sheet(workbook: Workbook, title: str, header: Sequence[str], rows: list[list[Cell]]) -> None:
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append([xlsx_value(h) for h in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([xlsx_value(value) for value in row])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, Decimal):
                cell.number_format = EURO_FORMAT
            elif number_format := date_number_format(cell.value):
                cell.number_format = number_format
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 10), 60)


def _workbook_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def plan_xlsx(board: Board, *, people: bool, money: bool) -> bytes:
    """The actions of the board (as filtered) in one sheet."""
    header = [
        _("Pillar"),
        _("Pillar name"),
        _("Action"),
        _("Years"),
        _("Status"),
        _("Status since"),
        _("Last reason"),
        _("Partner organisations"),
        _("Project"),
    ]
    if people:
        header.append(_("Owner"))
    if money:
        header.append(_("Planned budget"))
    rows: list[list[Cell]] = []
    for action in board.actions:
        row: list[Cell] = [
            action.pillar.code,
            action.pillar.short_name,
            action.title,
            action.years_display,
            action.get_status_display(),
            action.status_since,
            action.last_reason,
            ", ".join(o.name for o in action.partner_organisations.all()),
            action.project_reference,
        ]
        if people:
            row.append(str(action.owner) if action.owner else "")
        if money:
            row.append(action.planned_budget)
        rows.append(row)
    workbook = _empty_workbook()
    _sheet(workbook, _("Action plan %(year)s") % {"year": board.year}, header, rows)
    return _workbook_bytes(workbook)


def budget_summary_rows(budget: BudgetYear) -> list[tuple[str, Decimal]]:
    balance = budget.balance
    rows = [
        (_("Grant %(year)s") % {"year": budget.year}, balance.grant),
        (_("Carried in from %(year)s") % {"year": budget.year - 1}, balance.carried_in),
        (_("Income"), balance.income),
        (_("Spent"), balance.spent),
        (_("Committed"), balance.committed),
        (_("Unspent"), balance.unspent),
        (_("Available (unspent minus committed)"), balance.available),
        (_("Still planned on budget lines"), balance.still_planned),
        (_("Forecast spending at year end"), balance.forecast_spent),
        (_("Forecast unspent at year end"), balance.forecast_unspent),
    ]
    if budget.carry_over is not None:
        rows.append(
            (
                _("Carry-over to %(year)s requested (%(status)s)")
                % {
                    "year": budget.year + 1,
                    "status": budget.carry_over.get_status_display().lower(),
                },
                budget.carry_over.amount,
            )
        )
        rows.append(
            (_("Carried over to %(year)s") % {"year": budget.year + 1}, balance.carried_out)
        )
    return rows


def budget_xlsx(budget: BudgetYear) -> bytes:
    """The balance; with details also the budget lines and the expenses, each in a sheet."""
    workbook = _empty_workbook()
    _sheet(
        workbook,
        _("Budget %(year)s") % {"year": budget.year},
        [_("Item"), _("Amount")],
        [[label, amount] for label, amount in budget_summary_rows(budget)],
    )
    if budget.details:
        _sheet(
            workbook,
            _("Budget lines"),
            [_("Budget line"), _("Action"), _("Planned"), _("Spent"), _("Committed")],
            [
                [
                    line.title,
                    str(line.action or ""),
                    line.amount,
                    line.spent,
                    line.committed,
                ]
                for line in budget.lines
            ],
        )
        _sheet(
            workbook,
            _("Expenses"),
            [
                _("Date"),
                _("Supplier"),
                _("Description"),
                _("Budget line"),
                _("Action"),
                _("Status"),
                _("Document"),
                _("Amount"),
            ],
            [
                [
                    expense.date,
                    expense.supplier,
                    expense.description,
                    str(expense.line or ""),
                    str(expense.action or ""),
                    expense.get_status_display(),
                    expense.document,
                    expense.amount,
                ]
                for expense in budget.expenses
            ],
        )
    return _workbook_bytes(workbook)


# The carry-over letter -----------------------------------------------------------------------


@dataclass(frozen=True)
class Letter:
    """The text of the letter, shared by the PDF and the DOCX."""

    sender: str
    sender_address: list[str]
    place_and_date: str
    recipient: str
    subject: str
    salutation: str
    paragraphs: list[str]
    justification: list[str]
    closing: str
    signature: list[str]


def carryover_letter(*, carry_over: CarryOver, budget: BudgetYear, signed_by: str) -> Letter:
    region = carry_over.region
    carrier = region.carrier
    address: list[str] = []
    place = ""
    if carrier is not None:
        site = (
            Site.objects.filter(organisation=carrier, is_main=True, is_archived=False)
            .select_related("municipality")
            .first()
        )
        if site is not None:
            place = site.place or site.municipality.name
            address = [site.street, f"{site.postcode} {place}"]
    balance = budget.balance
    grant = budget.grant
    paragraphs = [
        _(
            "For %(year)s, %(region)s received an operating grant of %(grant)s for the regie "
            "role of the local social economy%(decision)s."
        )
        % {
            "year": carry_over.year,
            "region": region.name,
            "grant": euro(balance.grant),
            "decision": (
                " "
                + _("(decision %(reference)s of %(date)s)")
                % {
                    "reference": grant.decision_reference,
                    "date": date_format(grant.decision_date, "j F Y"),
                }
                if grant is not None and grant.decision_reference and grant.decision_date
                else ""
            ),
        },
    ]
    if balance.carried_in:
        paragraphs.append(
            _(
                "With the %(amount)s carried over from %(year)s, the income of the year was "
                "%(income)s."
            )
            % {
                "amount": euro(balance.carried_in),
                "year": carry_over.year - 1,
                "income": euro(balance.income),
            }
        )
    paragraphs += [
        _("Of this, %(spent)s was spent, which leaves %(unspent)s unused.")
        % {"spent": euro(balance.spent), "unspent": euro(balance.unspent)},
        _(
            "We kindly ask you to approve the carry-over of %(amount)s of unused operating funds "
            "of %(year)s to %(next)s."
        )
        % {"amount": euro(carry_over.amount), "year": carry_over.year, "next": carry_over.to_year},
    ]
    sent = carry_over.submitted_on or timezone.localdate()
    return Letter(
        sender=carrier.name if carrier is not None else region.name,
        sender_address=address,
        place_and_date=", ".join(filter(None, [place, date_format(sent, "j F Y")])),
        recipient=carry_over.funder,
        subject=_(
            "Request to carry over unused operating funds of the regie role of the local social "
            "economy from %(year)s to %(next)s – %(region)s"
        )
        % {"year": carry_over.year, "next": carry_over.to_year, "region": region.name},
        salutation=_("Dear Sir or Madam,"),
        paragraphs=paragraphs,
        justification=[line for line in carry_over.justification.splitlines() if line.strip()],
        closing=_("Yours faithfully,"),
        signature=[signed_by, _("Coordinator of the local social economy"), region.name],
    )


def carryover_letter_pdf(letter: Letter) -> bytes:
    return render_pdf("plans/print/carryover_letter.html", {"letter": letter})


def carryover_letter_docx(letter: Letter, *, author: str) -> bytes:
    document = docx_new(title=letter.subject, author=author, subject=_("Carry-over request"))
    sender = document.add_paragraph()
    sender.add_run(letter.sender).bold = True
    for line in letter.sender_address:
        sender.add_run("\n" + line)
    document.add_paragraph(letter.recipient)
    document.add_paragraph(letter.place_and_date)
    subject = document.add_paragraph()
    subject.add_run(_("Subject") + ": ").bold = True
    subject.add_run(letter.subject)
    document.add_paragraph(letter.salutation)
    for paragraph in letter.paragraphs:
        document.add_paragraph(paragraph)
    for line in letter.justification:
        if line.lstrip().startswith("- "):
            document.add_paragraph(line.lstrip()[2:], style="List Bullet")
        else:
            document.add_paragraph(line)
    document.add_paragraph(letter.closing)
    document.add_paragraph("\n".join(letter.signature))
    return docx_bytes(document)
