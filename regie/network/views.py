"""Network pages: thin views — scoped lookup, form, one service call, render or redirect.

The calendar page and its secret feed (``calendar/<token>.ics``, public: the token is the key)
are routed by ``events/urls.py``, under the ``events:calendar…`` names they had before the apps
were split.
"""

from typing import TypedDict

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.forms import BaseForm
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.datastructures import MultiValueDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET, require_POST

from regie.accounts.models import User
from regie.core.forms import add_service_errors
from regie.core.htmx import is_htmx, template_for
from regie.core.permissions import (
    MANAGERS,
    NETWORK_ROLES,
    AuthenticatedRequest,
    role_of,
    role_required,
)
from regie.core.versioning import versioned_edit
from regie.network import calendar, selectors, services
from regie.network.forms import (
    AddendumForm,
    AgendaItemForm,
    AttendanceMarkForm,
    BodyFilterForm,
    BodyForm,
    BodyStatusForm,
    DecisionForm,
    DocumentForm,
    FollowUpEditForm,
    FollowUpForm,
    FollowUpStatusForm,
    GuestForm,
    MeetingCancelForm,
    MeetingForm,
    MeetingPostponeForm,
    MembershipEndForm,
    MembershipForm,
    MinutesForm,
    ScheduleForm,
)
from regie.network.models import (
    AgendaItem,
    Attendance,
    Body,
    CalendarFeed,
    FollowUp,
    FollowUpStatus,
    Meeting,
    MeetingDocument,
    MeetingStatus,
    Membership,
)
from regie.registry.models import Organisation, Person

# Bodies --------------------------------------------------------------------------------------


@role_required(*NETWORK_ROLES)
def body_list(request: AuthenticatedRequest) -> HttpResponse:
    form = BodyFilterForm(request.GET or None)
    filters = form.filters() if form.is_bound else {}
    bodies = selectors.body_list(user=request.user, **filters)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        template_for(request, "network/body_list.html", "results"),
        {
            "active_nav": "bodies",
            "form": form,
            "page": Paginator(bodies, settings.REGIE_PAGE_SIZE).get_page(request.GET.get("page")),
            "query": query.urlencode(),
            "can_create": role_of(request.user) in MANAGERS,
        },
    )


@role_required(*NETWORK_ROLES)
def body_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        page = selectors.body_detail(user=request.user, pk=pk)
    except Body.DoesNotExist:
        raise Http404 from None
    return render(
        request,
        "network/body_detail.html",
        {
            "active_nav": "bodies",
            "page": page,
            "body": page.body,
            "can_edit": Body.objects.editable_by(request.user).filter(pk=pk).exists(),
            "editable_follow_ups": _editable_follow_ups(request, page.open_follow_ups),
            **_follow_up_context(),
        },
    )


@role_required(*MANAGERS)
def body_create(request: AuthenticatedRequest) -> HttpResponse:
    choose_region = request.user.region_id is None
    form = BodyForm(request.POST or None, choose_region=choose_region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        data.pop("version")
        region = data.pop("region", None) or request.user.region
        if region is None:
            raise Http404
        try:
            body = services.body_create(actor=request.user, region=region, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was created.") % {"name": body})
            return redirect("network:body_detail", pk=body.pk)
    return _form_page(request, form, title=_("New body"))


@role_required(*MANAGERS)
def body_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.editable_by(request.user), pk=pk)
    form = BodyForm(request.POST or None, instance=body)
    edit = versioned_edit(
        form,
        save=lambda: services.body_update(
            actor=request.user,
            body=body,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("network:body_detail", pk=pk)
    return _form_page(request, form, title=_("Edit body"), body=body, stale=edit.stale)


@role_required(*MANAGERS)
def body_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.editable_by(request.user), pk=pk)
    form = BodyStatusForm(request.POST or None, instance=body)
    edit = versioned_edit(
        form,
        save=lambda: services.body_status_change(
            actor=request.user,
            body=body,
            expected_version=form.expected_version,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["status_reason"],
            since=form.cleaned_data["status_date"],
        ),
    )
    if edit.saved:
        messages.success(request, _("The status was changed."))
        return redirect("network:body_detail", pk=pk)
    return _form_page(request, form, title=_("Change status"), body=body, stale=edit.stale)


class MemberChoices(TypedDict):
    organisations: QuerySet[Organisation]
    people: QuerySet[Person]


def _members_choices(user: User, body: Body) -> MemberChoices:
    return {
        "organisations": Organisation.objects.visible_to(user).filter(
            region=body.region, is_archived=False
        ),
        "people": Person.objects.visible_to(user).filter(region=body.region, is_archived=False),
    }


@role_required(*MANAGERS)
def membership_form(
    request: AuthenticatedRequest, pk: int, membership_pk: int | None = None
) -> HttpResponse:
    body = get_object_or_404(Body.objects.editable_by(request.user), pk=pk)
    membership = (
        get_object_or_404(Membership, pk=membership_pk, body=body) if membership_pk else None
    )
    form = MembershipForm(
        request.POST or None, instance=membership, **_members_choices(request.user, body)
    )
    if request.method == "POST" and form.is_valid():
        try:
            if membership is None:
                services.membership_create(actor=request.user, body=body, **form.cleaned_data)
            else:
                services.membership_update(
                    actor=request.user, membership=membership, **form.cleaned_data
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The membership was saved."))
            return redirect("network:body_detail", pk=pk)
    title = _("Edit membership") if membership else _("New member")
    return _form_page(request, form, title=title, body=body)


@role_required(*MANAGERS)
def membership_end(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.editable_by(request.user), pk=pk)
    membership = get_object_or_404(Membership, pk=membership_pk, body=body)
    form = MembershipEndForm(request.POST or None, initial={"end": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_end(
                actor=request.user, membership=membership, end=form.cleaned_data["end"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The membership of %(member)s ends.")
                % {"member": membership.person or membership.organisation},
            )
            return redirect("network:body_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("End the membership of %(member)s")
        % {"member": membership.person or membership.organisation},
        body=body,
    )


# Meetings ------------------------------------------------------------------------------------


@role_required(*MANAGERS)
def meeting_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    body = get_object_or_404(Body.objects.editable_by(request.user), pk=pk)
    form = ScheduleForm(request.POST or None)
    overlaps: list[Meeting] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        overlaps = selectors.meeting_overlaps(body=body, start=data["start"], end=data["end"])
        if not overlaps or data["confirm_overlap"]:
            try:
                meeting = services.meeting_schedule(
                    actor=request.user,
                    body=body,
                    agenda=form.agenda_items(),
                    **form.calendar_fields(),
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The meeting was scheduled."))
                return redirect("network:meeting_detail", pk=meeting.pk)
    if not overlaps:
        del form.fields["confirm_overlap"]
    return _form_page(
        request,
        form,
        title=_("Schedule a meeting"),
        submit_label=_("Schedule"),
        body=body,
        overlaps=overlaps,
    )


@role_required(*NETWORK_ROLES)
def meeting_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return render(request, "network/meeting_detail.html", _meeting_context(request, pk))


def _meeting_context(request: AuthenticatedRequest, pk: int, **extra: object) -> dict[str, object]:
    can_edit = Meeting.objects.editable_by(request.user).filter(pk=pk).exists()
    try:
        page = selectors.meeting_detail(user=request.user, pk=pk, can_edit=can_edit)
    except Meeting.DoesNotExist:
        raise Http404 from None
    meeting = page.meeting
    context: dict[str, object] = {
        "active_nav": "bodies",
        "page": page,
        "meeting": meeting,
        "body": meeting.body,
        "can_edit": can_edit,
        "is_open": meeting.status not in selectors.INACTIVE_MEETING,
        "has_started": meeting.start <= timezone.now(),
        "editable_follow_ups": _editable_follow_ups(
            request, [*page.open_follow_ups, *page.follow_ups]
        ),
        **_follow_up_context(),
    }
    if can_edit:
        context.update(
            agenda_form=AgendaItemForm(),
            guest_form=GuestForm(),
            decision_form=DecisionForm(meeting=meeting),
            follow_up_form=FollowUpForm(
                meeting=meeting,
                people=Person.objects.visible_to(request.user).filter(
                    region=meeting.body.region, is_archived=False
                ),
            ),
            document_form=_document_form(),
        )
    context.update(extra)
    return context


@role_required(*MANAGERS)
def meeting_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = MeetingForm(request.POST or None, instance=meeting)
    stale = None
    overlaps: list[Meeting] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        overlaps = selectors.meeting_overlaps(
            body=meeting.body, start=data["start"], end=data["end"], exclude_pk=pk
        )
        if not overlaps or data["confirm_overlap"]:
            edit = versioned_edit(
                form,
                save=lambda: services.meeting_update(
                    actor=request.user,
                    meeting=meeting,
                    expected_version=form.expected_version,
                    **form.calendar_fields(),
                ),
            )
            if edit.saved:
                messages.success(request, _("The changes were saved."))
                return redirect("network:meeting_detail", pk=pk)
            stale = edit.stale
    if not overlaps:
        del form.fields["confirm_overlap"]
    return _form_page(
        request,
        form,
        title=_("Edit meeting"),
        meeting=meeting,
        stale=stale,
        overlaps=overlaps,
    )


@require_POST
@role_required(*MANAGERS)
def meeting_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Confirm a meeting or mark it as held; cancelling and postponing have their own pages."""
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    status = request.POST.get("status", "")
    try:
        services.meeting_status_change(actor=request.user, meeting=meeting, status=status)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The meeting is now %(status)s.") % {"status": MeetingStatus(status).label.lower()},
        )
    return redirect("network:meeting_detail", pk=pk)


@role_required(*MANAGERS)
def meeting_cancel(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = MeetingCancelForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_status_change(
                actor=request.user,
                meeting=meeting,
                status=MeetingStatus.CANCELLED,
                reason=form.cleaned_data["status_reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was cancelled."))
            return redirect("network:meeting_detail", pk=pk)
    return _form_page(
        request,
        form,
        title=_("Cancel the meeting"),
        meeting=meeting,
        submit_label=_("Cancel the meeting"),
    )


@role_required(*MANAGERS)
def meeting_postpone(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = MeetingPostponeForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            new = services.meeting_postpone(
                actor=request.user, meeting=meeting, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The meeting was postponed to a new date."))
            return redirect("network:meeting_detail", pk=new.pk)
    return _form_page(
        request, form, title=_("Postpone the meeting"), submit_label=_("Postpone"), meeting=meeting
    )


# Agenda --------------------------------------------------------------------------------------


@role_required(*MANAGERS)
def agenda_item_form(
    request: AuthenticatedRequest, pk: int, item_pk: int | None = None
) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else None
    form = AgendaItemForm(request.POST or None, instance=item)

    def save() -> AgendaItem:
        if item is None:
            return services.agenda_item_add(actor=request.user, meeting=meeting, **form.changes())
        return services.agenda_item_update(
            actor=request.user, item=item, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        if is_htmx(request):
            return _agenda_partial(request, pk)
        messages.success(request, _("The agenda was saved."))
        return redirect(_meeting_url(meeting, "agenda"))
    if is_htmx(request):
        return _agenda_partial(request, pk, agenda_form=form)
    title = _("Edit agenda item") if item else _("New agenda item")
    return _form_page(request, form, title=title, meeting=meeting, stale=edit.stale)


@require_POST
@role_required(*MANAGERS)
def agenda_item_move(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    error_message = ""
    try:
        services.agenda_item_move(
            actor=request.user, item=item, direction=request.POST.get("direction", "")
        )
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if is_htmx(request):
        return _agenda_partial(request, pk, agenda_error=error_message)
    if error_message:
        messages.error(request, error_message)
    return redirect(_meeting_url(meeting, "agenda"))


@require_POST
@role_required(*MANAGERS)
def agenda_item_remove(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    error_message = ""
    try:
        services.agenda_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        error_message = " ".join(error.messages)
    if is_htmx(request):
        return _agenda_partial(request, pk, agenda_error=error_message)
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(
            request, _("“%(title)s” was removed from the agenda.") % {"title": item.title}
        )
    return redirect(_meeting_url(meeting, "agenda"))


def _agenda_partial(request: AuthenticatedRequest, pk: int, **extra: object) -> HttpResponse:
    return render(
        request, "network/meeting_detail.html#agenda", _meeting_context(request, pk, **extra)
    )


# Attendance ----------------------------------------------------------------------------------


@role_required(*MANAGERS)
def attendance_guest(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = GuestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_add_guest(
                actor=request.user,
                meeting=meeting,
                name=form.cleaned_data["guest_name"],
                email=form.cleaned_data["guest_email"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The guest was added."))
            return redirect(_meeting_url(meeting, "attendance"))
    return _form_page(request, form, title=_("Add a guest"), meeting=meeting)


@require_POST
@role_required(*MANAGERS)
def attendance_members(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    try:
        added = services.attendance_invite_members(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = ngettext(
            "%(count)d member was added to the list.",
            "%(count)d members were added to the list.",
            added,
        )
        messages.success(request, message % {"count": added})
    return redirect(_meeting_url(meeting, "attendance"))


@require_POST
@role_required(*MANAGERS)
def attendance_mark(request: AuthenticatedRequest, pk: int, attendance_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    attendance = get_object_or_404(
        Attendance.objects.select_related("person", "organisation"),
        pk=attendance_pk,
        meeting=meeting,
    )
    form = AttendanceMarkForm(request.POST)
    error_message = ""
    if form.is_valid():
        try:
            attendance = services.attendance_mark(
                actor=request.user, attendance=attendance, status=form.cleaned_data["status"]
            )
        except ValidationError as error:
            error_message = " ".join(error.messages)
    else:
        error_message = _("Choose invited, confirmed, present, excused or absent.")
    if is_htmx(request):
        context = _meeting_context(
            request,
            pk,
            error_attendance=attendance.pk if error_message else None,
            row_error=error_message,
        )
        return render(request, "network/meeting_detail.html#attendance", context)
    if error_message:
        messages.error(request, error_message)
    return redirect(_meeting_url(meeting, "attendance"))


# Minutes, decisions, follow-ups --------------------------------------------------------------


@role_required(*MANAGERS)
def minutes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = MinutesForm(request.POST or None, items=list(meeting.agenda_items.all()))
    edit = versioned_edit(
        form,
        save=lambda: services.minutes_save(actor=request.user, meeting=meeting, texts=form.texts()),
    )
    if edit.saved:
        messages.success(request, _("The minutes were saved."))
        return redirect(_meeting_url(meeting, "minutes"))
    return _form_page(
        request, form, title=_("Minutes"), meeting=meeting, stale=edit.stale, wide=True
    )


MINUTES_ACTIONS = {
    "send": (services.minutes_send, gettext_lazy("The draft minutes were sent to the attendees.")),
    "approve": (services.minutes_approve, gettext_lazy("The minutes are approved.")),
    "lock": (services.minutes_lock, gettext_lazy("The minutes are locked.")),
}


@require_POST
@role_required(*MANAGERS)
def minutes_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    action = MINUTES_ACTIONS.get(request.POST.get("action", ""))
    try:
        if action is None:
            raise ValidationError(_("Send, approve or lock the minutes."))
        service, done = action
        service(actor=request.user, meeting=meeting)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(done))
    return redirect(_meeting_url(meeting, "minutes"))


@role_required(*MANAGERS)
def addendum_create(request: AuthenticatedRequest, pk: int, item_pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting)
    form = AddendumForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.addendum_add(actor=request.user, item=item, text=form.cleaned_data["text"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The addendum was added."))
            return redirect(_meeting_url(meeting, "minutes"))
    return _form_page(
        request,
        form,
        title=_("Addendum to “%(title)s”") % {"title": item.title},
        meeting=meeting,
        quote=item.minutes,
    )


@role_required(*MANAGERS)
def decision_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = DecisionForm(request.POST or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        try:
            services.decision_record(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The decision was recorded."))
            return redirect(_meeting_url(meeting, "decisions"))
    return _form_page(request, form, title=_("New decision"), meeting=meeting)


def _people_of(user: User, meeting_or_body: Meeting | Body) -> QuerySet[Person]:
    body = meeting_or_body.body if isinstance(meeting_or_body, Meeting) else meeting_or_body
    return Person.objects.visible_to(user).filter(region=body.region, is_archived=False)


@role_required(*MANAGERS)
def follow_up_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    form = FollowUpForm(
        request.POST or None, meeting=meeting, people=_people_of(request.user, meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_create(actor=request.user, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The follow-up was recorded."))
            return redirect(_meeting_url(meeting, "follow-ups"))
    return _form_page(request, form, title=_("New follow-up"), meeting=meeting)


@role_required(*MANAGERS)
def follow_up_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(body__in=Body.objects.editable_by(request.user)), pk=pk
    )
    form = FollowUpEditForm(
        request.POST or None, instance=follow_up, people=_people_of(request.user, follow_up.body)
    )
    edit = versioned_edit(
        form,
        save=lambda: services.follow_up_update(
            actor=request.user,
            follow_up=follow_up,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The follow-up was saved."))
        return redirect("network:body_detail", pk=follow_up.body_id)
    return _form_page(
        request, form, title=_("Edit follow-up"), body=follow_up.body, stale=edit.stale
    )


@require_POST
@role_required(*NETWORK_ROLES)
def follow_up_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The body's managers and the owner of the point change its status (inline with htmx)."""
    follow_up = get_object_or_404(
        FollowUp.objects.editable_by(request.user).select_related("owner", "body", "meeting"),
        pk=pk,
    )
    form = FollowUpStatusForm(request.POST)
    error_message = ""
    if form.is_valid():
        try:
            follow_up = services.follow_up_status_change(
                actor=request.user,
                follow_up=follow_up,
                status=form.cleaned_data["status"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            error_message = " ".join(error.messages)
            follow_up.refresh_from_db()
    else:
        error_message = _("Choose a status.")
    if is_htmx(request):
        return render(
            request,
            "network/my_follow_ups.html#follow_up_status",
            {
                "follow_up": follow_up,
                "status_error": error_message,
                "can_change": True,
                **_follow_up_context(),
            },
        )
    if error_message:
        messages.error(request, error_message)
    else:
        messages.success(request, _("The status of the follow-up was changed."))
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("network:my_follow_ups")


@role_required(*NETWORK_ROLES)
def my_follow_ups(request: AuthenticatedRequest) -> HttpResponse:
    follow_ups = list(selectors.my_follow_ups(user=request.user))
    return render(
        request,
        "network/my_follow_ups.html",
        {
            "active_nav": "my_follow_ups",
            "follow_ups": follow_ups,
            "has_person": request.user.person_id is not None,
            "editable_follow_ups": _editable_follow_ups(request, follow_ups),
            **_follow_up_context(),
        },
    )


def _follow_up_context() -> dict[str, object]:
    return {"follow_up_statuses": FollowUpStatus.choices, "today": timezone.localdate()}


def _editable_follow_ups(request: AuthenticatedRequest, follow_ups: list[FollowUp]) -> set[int]:
    pks = [follow_up.pk for follow_up in follow_ups]
    return set(
        FollowUp.objects.editable_by(request.user).filter(pk__in=pks).values_list("pk", flat=True)
    )


# Documents -----------------------------------------------------------------------------------


def _document_form(
    data: QueryDict | None = None, files: "MultiValueDict[str, UploadedFile[bytes]] | None" = None
) -> DocumentForm:
    form = DocumentForm(data, files)
    form.fields["file"].help_text = _(
        "PDF, PNG, JPEG, Word, Excel, PowerPoint, OpenDocument or plain text; at most %(limit)s."
    ) % {"limit": filesizeformat(settings.REGIE_DOCUMENT_MAX_BYTES)}
    return form


@role_required(*MANAGERS)
def document_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    meeting = get_object_or_404(Meeting.objects.editable_by(request.user), pk=pk)
    posted = request.method == "POST"
    form = _document_form(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_upload(
                actor=request.user, meeting=meeting, upload=form.cleaned_data["file"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was attached.") % {"name": document.filename})
            return redirect(_meeting_url(meeting, "documents"))
    return _form_page(
        request, form, title=_("Attach a document"), submit_label=_("Attach"), meeting=meeting
    )


@role_required(*NETWORK_ROLES)
def document_download(request: AuthenticatedRequest, pk: int) -> FileResponse:
    document = get_object_or_404(
        MeetingDocument.objects.filter(meeting__in=Meeting.objects.visible_to(request.user)),
        pk=pk,
    )
    try:
        handle = document.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle, as_attachment=True, filename=document.filename, content_type=document.content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


# Shared --------------------------------------------------------------------------------------


def _meeting_url(meeting: Meeting, section: str) -> str:
    return f"{reverse('network:meeting_detail', args=[meeting.pk])}#{section}"


def _form_page(
    request: AuthenticatedRequest,
    form: BaseForm,
    *,
    title: str,
    body: Body | None = None,
    meeting: Meeting | None = None,
    **extra: object,
) -> HttpResponse:
    """Every small form of the networks on one page layout, with its breadcrumb."""
    return render(
        request,
        "network/form.html",
        {
            "active_nav": "bodies",
            "form": form,
            "title": title,
            "body": body or (meeting.body if meeting else None),
            "meeting": meeting,
            **extra,
        },
    )


# The calendar ----------------------------------------------------------------------------------


@login_required
def calendar_page(request: AuthenticatedRequest) -> HttpResponse:
    feed = CalendarFeed.objects.filter(user=request.user).first()
    feed_url = (
        request.build_absolute_uri(reverse("events:calendar_feed", args=[feed.token]))
        if feed
        else ""
    )
    upcoming = (
        calendar.my_meetings(user=request.user)
        .filter(end__gte=timezone.now())
        .select_related("body")
        .order_by("start")[:20]
    )
    return render(
        request,
        "network/calendar.html",
        {
            "active_nav": "calendar",
            "feed": feed,
            "feed_url": feed_url,
            "webcal_url": feed_url.replace("https://", "webcal://", 1).replace(
                "http://", "webcal://", 1
            ),
            "upcoming": upcoming,
        },
    )


@login_required
@require_POST
def calendar_renew(request: AuthenticatedRequest) -> HttpResponse:
    had_feed = CalendarFeed.objects.filter(user=request.user).exists()
    calendar.calendar_feed_renew(user=request.user)
    messages.success(
        request,
        _("Your calendar has a new address: the old one no longer works.")
        if had_feed
        else _("Your calendar address was created."),
    )
    return redirect("events:calendar")


@login_required
@require_POST
def calendar_delete(request: AuthenticatedRequest) -> HttpResponse:
    calendar.calendar_feed_delete(user=request.user)
    messages.success(request, _("Your calendar is no longer published."))
    return redirect("events:calendar")


@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    feed = calendar.calendar_feed_for_token(token=token)
    if feed is None:
        raise Http404
    with translation.override("nl"):
        name = _("Regie – my meetings")
    response = HttpResponse(
        calendar.calendar_feed_ics(feed=feed, name=name),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = 'inline; filename="regie.ics"'
    response["Cache-Control"] = "private, max-age=900"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
