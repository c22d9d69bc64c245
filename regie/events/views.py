"""Pages of invitations and events: thin views around the event services.

Public (no account): the event page with its registration form, the confirmation and the
cancel link (the event's secret token is the key). Internal: the organiser's invitation,
registration and check-in pages and the attendance list, for users who may edit the meeting
(``Meeting.objects.editable_by``); everyone else gets a 404.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from regie.core.forms import add_service_errors
from regie.core.htmx import is_htmx, template_for
from regie.core.permissions import MANAGERS, AuthenticatedRequest, role_required
from regie.core.spreadsheets import csv_response, xlsx_response
from regie.core.versioning import versioned_edit
from regie.events import rate_limit, selectors, services
from regie.events.attendance_list import attendance_list_pdf
from regie.events.checkin import checkin_code, checkin_qr_svg
from regie.events.forms import (
    CheckinCodeForm,
    CheckinSearchForm,
    RegistrationForm,
    RegistrationSettingsForm,
    WalkInForm,
)
from regie.events.models import Event, Registration, RegistrationStatus
from regie.network import invitations
from regie.network.models import Meeting

SESSION_KEY = "event_registration"


def _organised_meeting(request: AuthenticatedRequest, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.editable_by(request.user).select_related("body"), pk=pk
    )


# Invitations ---------------------------------------------------------------------------------


@role_required(*MANAGERS)
def meeting_invitations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    if request.method == "POST":
        try:
            count = invitations.meeting_invite(meeting=meeting, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s invitation is being sent.",
                    "%(count)s invitations are being sent.",
                    count,
                )
                % {"count": count},
            )
            return redirect("events:meeting_invitations", pk=pk)
    attendances = meeting.attendances.select_related("person", "organisation").order_by("pk")
    mails = selectors.meeting_mails(meeting)
    return render(
        request,
        "events/invitations.html",
        {
            "meeting": meeting,
            "attendances": attendances,
            "recipients": invitations.meeting_recipients(meeting),
            "mails": mails.mails,
            "mail_counts": mails.counts,
        },
    )


# The organiser's registration pages ------------------------------------------------------------


@role_required(*MANAGERS)
def registration_manage(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    event = selectors.event_of(meeting)
    form = RegistrationSettingsForm(request.POST or None, meeting=meeting, event=event)
    edit = versioned_edit(
        form,
        save=lambda: services.registration_settings_update(
            actor=request.user,
            meeting=meeting,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The registration settings were saved."))
        return redirect("events:registration_manage", pk=pk)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    if status not in RegistrationStatus.values:
        status = ""
    return render(
        request,
        template_for(request, "events/registration_manage.html", "rows"),
        {
            "meeting": meeting,
            "event": event,
            "form": form,
            "stale": edit.stale,
            "overview": selectors.registration_overview(meeting=meeting),
            "registrations": selectors.registration_list(meeting=meeting, q=q, status=status),
            "q": q,
            "status": status,
            "statuses": RegistrationStatus.choices,
            "public_url": _public_url(request, event),
            "problem": selectors.registration_problem(meeting, now=timezone.now()),
        },
    )


def _public_url(request: HttpRequest, event: Event | None) -> str:
    """The address of the event's public page; none before the meeting became an event."""
    if event is None:
        return ""
    return request.build_absolute_uri(
        reverse("events:event_detail", args=[event.registration_token])
    )


@role_required(*MANAGERS)
@require_POST
def registration_cancel_by_organiser(
    request: AuthenticatedRequest, pk: int, registration_pk: int
) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    registration = get_object_or_404(meeting.registrations, pk=registration_pk)
    try:
        promoted = services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("The registration of %(name)s was cancelled.")
            % {"name": f"{registration.first_name} {registration.last_name}"},
        )
        for person in promoted:
            messages.info(
                request,
                _("%(name)s moved up from the waiting list and was mailed.")
                % {"name": f"{person.first_name} {person.last_name}"},
            )
    return redirect("events:registration_manage", pk=pk)


@role_required(*MANAGERS)
@require_GET
def registration_export(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Every registration of the event as XLSX (default) or CSV (``?format=csv``)."""
    meeting = _organised_meeting(request, pk)
    header, rows = selectors.registration_export_rows(meeting=meeting)
    name = slugify(f"{_('registrations')} {meeting.title}")
    if request.GET.get("format") == "csv":
        return csv_response(f"{name}.csv", header, rows)
    return xlsx_response(f"{name}.xlsx", _("Registrations"), header, rows)


@role_required(*MANAGERS)
@require_GET
def checkin(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    code = request.GET.get("code", "")  # the URL of a QR code, opened by a phone camera
    return _checkin_page(
        request,
        meeting,
        code_form=CheckinCodeForm(initial={"code": code}),
        focus="code" if code or "scan" in request.GET else "search",
    )


@role_required(*MANAGERS)
@require_POST
def checkin_scan(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    form = CheckinCodeForm(request.POST)
    if form.is_valid():
        try:
            result = services.registration_check_in_by_code(
                actor=request.user, meeting=meeting, code=form.cleaned_data["code"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            person = result.registration
            name = f"{person.first_name} {person.last_name}"
            if result.already:
                arrived = timezone.localtime(person.checked_in_at).strftime("%H:%M")
                messages.warning(
                    request,
                    _("%(name)s was already checked in at %(time)s.")
                    % {"name": name, "time": arrived},
                )
            else:
                messages.success(request, _("%(name)s is checked in.") % {"name": name})
            return redirect(f"{reverse('events:checkin', args=[pk])}?scan=1")
    return _checkin_page(request, meeting, code_form=form, focus="code")


@role_required(*MANAGERS)
@require_POST
def checkin_walk_in(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            person = services.registration_walk_in(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(name)s was registered at the door and is checked in.")
                % {"name": f"{person.first_name} {person.last_name}"},
            )
            return redirect("events:checkin", pk=pk)
    return _checkin_page(request, meeting, walk_in_form=form, focus="walk_in")


def _checkin_page(
    request: AuthenticatedRequest,
    meeting: Meeting,
    *,
    code_form: CheckinCodeForm | None = None,
    walk_in_form: WalkInForm | None = None,
    focus: str = "search",
) -> HttpResponse:
    form = CheckinSearchForm(request.GET or None)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    return render(
        request,
        template_for(request, "events/checkin.html", "rows"),
        {
            "meeting": meeting,
            "form": form,
            "q": q,
            "registrations": selectors.checkin_list(meeting=meeting, q=q),
            "code_form": code_form or CheckinCodeForm(),
            "walk_in_form": walk_in_form or WalkInForm(),
            "focus": focus,
            **selectors.checkin_counts(meeting),
        },
    )


@role_required(*MANAGERS)
@require_POST
def checkin_toggle(request: AuthenticatedRequest, pk: int, registration_pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    registration = get_object_or_404(meeting.registrations, pk=registration_pk)
    present = request.POST.get("present") == "1"
    try:
        registration = services.registration_check_in(
            actor=request.user, registration=registration, present=present
        )
    except ValidationError as error:
        if is_htmx(request):
            return HttpResponse(" ".join(error.messages), status=409)
        for message in error.messages:
            messages.error(request, message)
    query = request.POST.get("q", "")
    if is_htmx(request):
        return render(
            request,
            "events/checkin.html#toggled",
            {
                "meeting": meeting,
                "registration": registration,
                "q": query,
                **selectors.checkin_counts(meeting),
            },
        )
    url = reverse("events:checkin", args=[pk])
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)


@role_required(*MANAGERS)
@require_GET
def attendance_list(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = _organised_meeting(request, pk)
    response = HttpResponse(attendance_list_pdf(meeting=meeting), content_type="application/pdf")
    name = slugify(f"aanwezigheidslijst {meeting.title} {meeting.start:%Y-%m-%d}")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


# Public event pages --------------------------------------------------------------------------


def _public_event(token: str) -> Event:
    event = selectors.event_by_token(token)
    if event is None:
        raise Http404
    return event


def event_detail(request: HttpRequest, token: str) -> HttpResponse:
    event = _public_event(token)
    meeting = event.meeting
    problem = selectors.registration_problem(meeting, now=timezone.now())
    form = RegistrationForm(request.POST or None)
    status = 200
    if request.method == "POST" and problem is None:
        if rate_limit.registration_rate_limited(ip=rate_limit.client_ip(request)):
            form.is_valid()
            form.add_error(None, rate_limit.rate_limit_message())
            status = 429
        elif form.is_valid():
            try:
                registration = services.registration_create(
                    meeting=meeting,
                    language=translation.get_language() or "",
                    **form.service_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                request.session[SESSION_KEY] = registration.pk
                return redirect("events:event_registered", token=token)
    return render(
        request,
        "events/event_detail.html",
        {
            "meeting": meeting,
            "event": event,
            "form": form,
            "problem": problem,
            "seats_left": selectors.seats_left(meeting),
        },
        status=status,
    )


def event_registered(request: HttpRequest, token: str) -> HttpResponse:
    event = _public_event(token)
    meeting = event.meeting
    registration_pk = request.session.get(SESSION_KEY)
    registration = (
        Registration.objects.filter(meeting=meeting, pk=registration_pk)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
        if isinstance(registration_pk, int)
        else None
    )
    if registration is None:
        return redirect("events:event_detail", token=token)
    has_seat = registration.status == RegistrationStatus.REGISTERED
    return render(
        request,
        "events/registered.html",
        {
            "meeting": meeting,
            "event": event,
            "registration": registration,
            "position": selectors.waiting_position(registration),
            "checkin_code": checkin_code(registration) if has_seat else "",
            "qr_svg": checkin_qr_svg(registration) if has_seat else "",
        },
    )


def event_cancel(request: HttpRequest, token: str, cancel_token: str) -> HttpResponse:
    """The cancel link of the confirmation mail: a page with a button (mail scanners that
    follow links must not cancel anybody), then the cancellation."""
    registration = get_object_or_404(
        Registration.objects.select_related("meeting"),
        meeting__event__registration_token=token,
        cancel_token=cancel_token,
    )
    error = ""
    if request.method == "POST" and registration.status != RegistrationStatus.CANCELLED:
        try:
            services.registration_cancel(registration=registration)
        except ValidationError as refused:
            error = " ".join(refused.messages)
        else:
            return redirect("events:event_cancel", token=token, cancel_token=cancel_token)
    return render(
        request,
        "events/cancel.html",
        {"meeting": registration.meeting, "registration": registration, "error": error},
    )
