"""Client pages: thin views — scoped lookup, form, one service call, render or redirect.

Every page is decorated with ``client_page`` (roles, and ``Cache-Control: no-store``); every
page that shows a client file writes to the access log. National numbers are only posted,
never put in a URL.
"""

import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from regie.accounts.models import User
from regie.clients import insz, rights, selectors, services
from regie.clients.access import access_record, client_page
from regie.clients.forms import (
    ClientFilterForm,
    ClientForm,
    ContactForm,
    CounsellorForm,
    DeviceForm,
    EnrolForm,
    LegalBasisForm,
    LoanForm,
    LoanReturnForm,
    NationalNumberForm,
    NewClientForm,
    OrganisationLegalBasisForm,
    ProgressionForm,
    ReasonForm,
    ReferralForm,
    RevealForm,
    SessionForm,
    StepForm,
    SupportNeedForm,
)
from regie.clients.models import (
    AccessAction,
    Client,
    ClientCounsellor,
    ClientFollowUp,
    Device,
    DeviceStatus,
    Enrolment,
    LegalBasis,
    Loan,
    OrganisationLegalBasis,
    Referral,
    SkillsSession,
    Step,
    SupportNeed,
)
from regie.clients.policy import CONTROLLERS, DEVICE_KEEPERS, FILE_EDITORS, policy_for
from regie.core.forms import add_service_errors
from regie.core.history import record_history
from regie.core.htmx import is_htmx, template_for
from regie.core.permissions import FIELD_ROLES, MANAGERS, AuthenticatedRequest, Role, role_of
from regie.core.versioning import versioned_edit
from regie.registry.models import Measure, Organisation, Person
from regie.registry.selectors import municipality_list


def _page[M: Model](request: HttpRequest, rows: QuerySet[M]) -> Page[M]:
    page = Paginator(rows, settings.REGIE_PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    return page


def _visible(request: AuthenticatedRequest, pk: int) -> Client:
    return get_object_or_404(Client.objects.visible_to(request.user), pk=pk)


def _editable(request: AuthenticatedRequest, pk: int) -> Client:
    return get_object_or_404(Client.objects.editable_by(request.user), pk=pk)


def _region_organisations(user: User) -> QuerySet[Organisation]:
    if user.region_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(region_id=user.region_id, is_archived=False)


def _own_organisation(user: User) -> QuerySet[Organisation]:
    if user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=user.organisation_id)


def _form_page(
    request: HttpRequest,
    *,
    title: str,
    form: forms.BaseForm,
    client: Client | None = None,
    **extra: object,
) -> HttpResponse:
    return render(
        request,
        "clients/form.html",
        {"active_nav": "clients", "title": title, "form": form, "client": client, **extra},
    )


# Clients -------------------------------------------------------------------------------------


@client_page(*FIELD_ROLES)
def client_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ClientFilterForm(
        request.GET or None,
        municipalities=municipality_list(user=user),
        can_follow=role_of(user) == Role.COUNSELLOR,
    )
    filters = form.filters()
    page = _page(request, selectors.client_list(user=user, **filters))
    clients = selectors.with_current_step(user=user, clients=list(page))
    access_record(user=user, clients=clients, action=AccessAction.LIST, what=_("client list"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return render(
        request,
        template_for(request, "clients/client_list.html", "results"),
        {
            "active_nav": "clients",
            "form": form,
            "page": page,
            "sort": filters["sort"],
            "query": query.urlencode(),
            "sort_query": sort_query.urlencode(),
            "policy": policy_for(user),
            "find_form": NationalNumberForm(),
        },
    )


@sensitive_post_parameters("national_number")
@client_page(*FILE_EDITORS)
def client_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if user.region is None:
        raise Http404
    coordinator = role_of(user) == Role.COORDINATOR
    form = NewClientForm(
        request.POST or None,
        municipalities=municipality_list(user=user),
        organisations=_region_organisations(user) if coordinator else None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        national_number = data.pop("national_number", "")
        organisation = data.pop("organisation", None) or user.organisation
        if organisation is None:
            raise Http404
        try:
            client = services.client_create(
                actor=user,
                region=user.region,
                organisation=organisation,
                counsellor=None if coordinator else user,
                national_number=national_number,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The client file %(code)s was opened.") % {"code": client})
            return redirect("clients:client_detail", pk=client.pk)
    return _form_page(request, title=_("New client"), form=form)


@require_POST
@sensitive_post_parameters("national_number")
@client_page(*FILE_EDITORS)
def client_find(request: AuthenticatedRequest) -> HttpResponse:
    """Find a client by national number: posted, so the number never lands in a URL or log."""
    form = NationalNumberForm(request.POST)
    if form.is_valid():
        try:
            number = insz.normalise(form.cleaned_data["national_number"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            client = (
                Client.objects.visible_to(request.user)
                .filter(insz_hash=insz.lookup_hash(number))
                .first()
            )
            if client is not None:
                return redirect("clients:client_detail", pk=client.pk)
            messages.info(request, _("None of the clients you may see has this national number."))
    else:
        messages.error(request, _("Enter a national number to search for."))
    return redirect("clients:client_list")


@client_page(*FIELD_ROLES)
def client_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        file = selectors.client_file(user=request.user, pk=pk)
    except Client.DoesNotExist:
        raise Http404 from None
    access_record(
        user=request.user, clients=[file.client], action=AccessAction.VIEW, what=_("client file")
    )
    history = []
    if file.policy.edit:
        steps = [step for t in file.trajectories for step in t.visible_steps]
        history = record_history(records=[file.client, *file.referrals, *steps], limit=30)
    return render(
        request,
        "clients/client_detail.html",
        {
            "active_nav": "clients",
            "file": file,
            "client": file.client,
            "policy": file.policy,
            "history": history,
            "today": timezone.localdate(),
        },
    )


@client_page(*FILE_EDITORS)
def client_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _editable(request, pk)
    user = request.user
    form = ClientForm(
        request.POST or None,
        instance=client,
        municipalities=municipality_list(user=user),
        organisations=_region_organisations(user) if role_of(user) == Role.COORDINATOR else None,
    )
    edit = versioned_edit(
        form,
        save=lambda: services.client_update(
            actor=user, client=client, expected_version=form.expected_version, **form.changes()
        ),
    )
    if edit.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("clients:client_detail", pk=pk)
    # The form shows the file's personal data; a stale edit shows what is stored now.
    if request.method == "GET" or edit.stale is not None:
        access_record(user=user, clients=[client], action=AccessAction.VIEW, what=_("client file"))
    return _form_page(request, title=_("Edit client"), form=form, client=client, stale=edit.stale)


@sensitive_post_parameters("national_number")
@client_page(*FILE_EDITORS)
def national_number(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record, replace or remove the national number (POST ``remove=1``)."""
    client = _editable(request, pk)
    if request.method == "POST" and request.POST.get("remove") == "1":
        services.client_national_number_remove(actor=request.user, client=client)
        messages.success(request, _("The national number was removed."))
        return redirect("clients:client_detail", pk=pk)
    form = NationalNumberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.client_national_number_set(
                actor=request.user,
                client=client,
                national_number=form.cleaned_data["national_number"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The national number was saved, encrypted."))
            return redirect("clients:client_detail", pk=pk)
    return _form_page(
        request,
        title=_("National number"),
        form=form,
        client=client,
        intro=_(
            "Regie stores a national number only for organisations with a recorded legal basis, "
            "encrypted; screens show it masked. Revealing it asks for a reason and is logged."
        ),
        remove=client.has_national_number,
    )


@client_page(*FILE_EDITORS)
def national_number_reveal(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """GET asks why; POST shows the number once (no-store) and logs it."""
    client = _editable(request, pk)
    if not client.has_national_number:
        raise Http404
    number = ""
    form: RevealForm | None = RevealForm(request.POST or None)
    if request.GET.get("cancel") == "1":
        form = None
    elif request.method == "POST" and form is not None and form.is_valid():
        try:
            number = services.client_national_number_reveal(
                actor=request.user, client=client, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
    return render(
        request,
        template_for(request, "clients/national_number.html", "card"),
        {
            "active_nav": "clients",
            "client": client,
            "reveal_form": form,
            "number": number,
            "policy": policy_for(request.user),
        },
    )


@client_page(*FILE_EDITORS)
def counsellor_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _editable(request, pk)
    counsellors = User.objects.filter(
        role=Role.COUNSELLOR, region_id=client.region_id, is_active=True
    ).order_by("last_name", "first_name", "username")
    form = CounsellorForm(
        request.POST or None, counsellors=counsellors, initial={"start": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.counsellor_assign(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The counsellor was added."))
            return redirect("clients:client_detail", pk=pk)
    return _form_page(request, title=_("Add a counsellor"), form=form, client=client)


@require_POST
@client_page(*FILE_EDITORS)
def counselling_end(request: AuthenticatedRequest, pk: int, counselling_pk: int) -> HttpResponse:
    client = _editable(request, pk)
    counselling = get_object_or_404(
        ClientCounsellor.objects.filter(client=client, end__isnull=True), pk=counselling_pk
    )
    services.counselling_end(actor=request.user, counselling=counselling)
    messages.success(
        request,
        _("%(name)s no longer follows this client.")
        % {"name": counselling.counsellor.get_full_name() or counselling.counsellor.get_username()},
    )
    if counselling.counsellor_id == request.user.pk:
        return redirect("clients:client_list")
    return redirect("clients:client_detail", pk=pk)


@client_page(Role.COUNSELLOR)
def support_need(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _editable(request, pk)
    form = SupportNeedForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.support_need_set(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The support need was saved."))
            return redirect("clients:client_detail", pk=pk)
    return _form_page(
        request,
        title=_("Support need"),
        form=form,
        client=client,
        intro=_(
            "Special-category data: only the client's counsellors see it. Record a category of "
            "support, never a diagnosis, and only with a legal basis for it."
        ),
    )


@require_POST
@client_page(Role.COUNSELLOR)
def support_need_remove(request: AuthenticatedRequest, pk: int, need_pk: int) -> HttpResponse:
    client = _editable(request, pk)
    need = get_object_or_404(
        SupportNeed.objects.visible_to(request.user), pk=need_pk, client=client
    )
    services.support_need_remove(actor=request.user, need=need)
    messages.success(request, _("The support need was removed."))
    return redirect("clients:client_detail", pk=pk)


@client_page(*FILE_EDITORS)
def legal_basis_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _editable(request, pk)
    form = LegalBasisForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.legal_basis_record(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The legal basis was recorded."))
            return redirect("clients:client_detail", pk=pk)
    return _form_page(request, title=_("New legal basis"), form=form, client=client)


@require_POST
@client_page(*FILE_EDITORS)
def legal_basis_withdraw(request: AuthenticatedRequest, pk: int, basis_pk: int) -> HttpResponse:
    client = _editable(request, pk)
    basis = get_object_or_404(
        LegalBasis.objects.visible_to(request.user), pk=basis_pk, client=client
    )
    try:
        services.legal_basis_withdraw(actor=request.user, basis=basis)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The withdrawal was recorded."))
    return redirect("clients:client_detail", pk=pk)


# Referrals and steps -------------------------------------------------------------------------


@client_page(*FILE_EDITORS)
def referral_form(
    request: AuthenticatedRequest, pk: int, referral_pk: int | None = None
) -> HttpResponse:
    client = _editable(request, pk)
    referral = (
        get_object_or_404(Referral.objects.filter(client=client), pk=referral_pk)
        if referral_pk
        else None
    )
    form = ReferralForm(
        request.POST or None,
        instance=referral,
        organisations=_region_organisations(request.user),
        people=Person.objects.visible_to(request.user).filter(
            region_id=client.region_id, is_archived=False
        ),
        initial={"referred_on": timezone.localdate()} if referral is None else None,
    )

    def save() -> Referral:
        if referral is None:
            return services.referral_create(actor=request.user, client=client, **form.changes())
        return services.referral_update(
            actor=request.user,
            referral=referral,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The referral was saved."))
        return redirect("clients:client_detail", pk=pk)
    title = _("Edit referral") if referral else _("New referral")
    return _form_page(request, title=title, form=form, client=client, stale=edit.stale)


@client_page(*FILE_EDITORS)
def step_form(request: AuthenticatedRequest, pk: int, step_pk: int | None = None) -> HttpResponse:
    client = _editable(request, pk)
    step = (
        get_object_or_404(Step.objects.filter(trajectory__client=client), pk=step_pk)
        if step_pk
        else None
    )
    form = StepForm(
        request.POST or None, instance=step, organisations=_region_organisations(request.user)
    )

    def save() -> Step:
        if step is None:
            return services.step_create(actor=request.user, client=client, **form.changes())
        return services.step_update(
            actor=request.user, step=step, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The step was saved."))
        return redirect("clients:client_detail", pk=pk)
    return _form_page(
        request,
        title=_("Edit step") if step else _("New step"),
        form=form,
        client=client,
        stale=edit.stale,
        measures=Measure.objects.exclude(code="REG"),
    )


# Contacts and follow-ups ---------------------------------------------------------------------


@client_page(*FIELD_ROLES)
def contact_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    form = ContactForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_record(
                actor=request.user, client=client, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            message = _("The contact was recorded.")
            if contact.wellbeing_flag:
                message += " " + _("A follow-up was created for the client's counsellor.")
            messages.success(request, message)
            return redirect("clients:client_detail", pk=pk)
    return _form_page(request, title=_("New contact"), form=form, client=client)


@client_page(*FIELD_ROLES)
def follow_up_list(request: AuthenticatedRequest) -> HttpResponse:
    show_done = request.GET.get("done") == "1"
    follow_ups = list(selectors.my_follow_ups(user=request.user, include_done=show_done))
    access_record(
        user=request.user,
        clients={follow_up.client for follow_up in follow_ups},
        action=AccessAction.LIST,
        what=_("client follow-ups"),
    )
    return render(
        request,
        "clients/follow_up_list.html",
        {
            "active_nav": "client_follow_ups",
            "follow_ups": follow_ups,
            "show_done": show_done,
            "today": timezone.localdate(),
        },
    )


@require_POST
@client_page(*FIELD_ROLES)
def follow_up_done(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    follow_up = get_object_or_404(ClientFollowUp.objects.visible_to(request.user), pk=pk)
    try:
        services.follow_up_complete(actor=request.user, follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The follow-up was marked as done."))
    return redirect("clients:follow_up_list")


# Devices and loans ---------------------------------------------------------------------------


@client_page(*FIELD_ROLES)
def loan_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    devices = Device.objects.visible_to(request.user).filter(status=DeviceStatus.AVAILABLE)
    today = timezone.localdate()
    form = LoanForm(
        request.POST or None,
        devices=devices,
        initial={"start": today, "due": today + datetime.timedelta(days=90)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.loan_create(actor=request.user, client=client, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The loan was recorded."))
            return redirect("clients:client_detail", pk=pk)
    return _form_page(request, title=_("Lend a device"), form=form, client=client)


def _loan(request: AuthenticatedRequest, pk: int, loan_pk: int) -> Loan:
    return get_object_or_404(
        Loan.objects.visible_to(request.user).select_related("device", "client"),
        pk=loan_pk,
        client_id=pk,
    )


@client_page(*FIELD_ROLES)
def loan_return(request: AuthenticatedRequest, pk: int, loan_pk: int) -> HttpResponse:
    loan = _loan(request, pk, loan_pk)
    form = LoanReturnForm(
        request.POST or None,
        initial={"returned_on": timezone.localdate(), "version": loan.version},
    )
    edit = versioned_edit(
        form,
        save=lambda: services.loan_return(
            actor=request.user,
            loan=loan,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The return was recorded."))
        return redirect("clients:client_detail", pk=pk)
    return _form_page(
        request,
        title=_("Return of %(device)s") % {"device": loan.device},
        form=form,
        client=loan.client,
        stale=edit.stale,
    )


@client_page(*FIELD_ROLES)
def loan_agreement(request: AuthenticatedRequest, pk: int, loan_pk: int) -> HttpResponse:
    from regie.clients.documents import loan_agreement_pdf

    loan = _loan(request, pk, loan_pk)
    pdf = loan_agreement_pdf(actor=request.user, loan=loan)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="uitleenovereenkomst-{loan.pk}.pdf"'
    return response


@client_page(*FIELD_ROLES)
def loan_list(request: AuthenticatedRequest) -> HttpResponse:
    overdue = request.GET.get("overdue") == "1"
    loans = list(selectors.loan_list(user=request.user, overdue=overdue))
    access_record(
        user=request.user,
        clients={loan.client for loan in loans},
        action=AccessAction.LIST,
        what=_("loans"),
    )
    return render(
        request,
        "clients/loan_list.html",
        {
            "active_nav": "clients",
            "section": "loans",
            "loans": loans,
            "overdue": overdue,
            "today": timezone.localdate(),
        },
    )


@client_page(*FIELD_ROLES)
def device_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "clients/device_list.html",
        {
            "active_nav": "clients",
            "section": "devices",
            "devices": selectors.device_list(user=request.user),
            "can_edit": role_of(request.user) in DEVICE_KEEPERS,
        },
    )


@client_page(*DEVICE_KEEPERS)
def device_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    device = get_object_or_404(Device.objects.editable_by(user), pk=pk) if pk else None
    organisations = (
        _region_organisations(user)
        if role_of(user) == Role.COORDINATOR
        else _own_organisation(user)
    )
    form = DeviceForm(
        request.POST or None,
        instance=device,
        organisations=organisations,
        initial={"organisation": user.organisation_id} if device is None else None,
    )

    def save() -> Device:
        if device is None:
            return services.device_create(actor=user, **form.changes())
        return services.device_update(
            actor=user, device=device, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The device was saved."))
        return redirect("clients:device_list")
    return _form_page(
        request,
        title=_("Edit device") if device else _("New device"),
        form=form,
        stale=edit.stale,
        back=("clients:device_list", _("Devices")),
    )


# Digital-skills sessions ---------------------------------------------------------------------


def _session_organisations(user: User) -> QuerySet[Organisation]:
    if role_of(user) == Role.COORDINATOR:
        return _region_organisations(user)
    return _own_organisation(user)


@client_page(*FIELD_ROLES)
def session_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "clients/session_list.html",
        {
            "active_nav": "clients",
            "section": "sessions",
            "sessions": selectors.session_list(user=request.user),
        },
    )


@client_page(*FIELD_ROLES)
def session_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    user = request.user
    session = get_object_or_404(SkillsSession.objects.editable_by(user), pk=pk) if pk else None
    region = user.region
    if region is None:
        raise Http404
    form = SessionForm(
        request.POST or None,
        instance=session,
        organisations=_session_organisations(user),
        initial={"organisation": user.organisation_id} if session is None else None,
    )

    def save() -> SkillsSession:
        if session is None:
            return services.session_create(actor=user, region=region, **form.changes())
        return services.session_update(
            actor=user, session=session, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved and edit.result is not None:
        messages.success(request, _("The session was saved."))
        return redirect("clients:session_detail", pk=edit.result.pk)
    return _form_page(
        request,
        title=_("Edit session") if session else _("New session"),
        form=form,
        stale=edit.stale,
        back=("clients:session_list", _("Digital skills")),
    )


@client_page(*FIELD_ROLES)
def session_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        session = selectors.session_detail(user=request.user, pk=pk)
    except SkillsSession.DoesNotExist:
        raise Http404 from None
    enrolments = session.visible_enrolments
    access_record(
        user=request.user,
        clients=[e.client for e in enrolments],
        action=AccessAction.LIST,
        what=_("session enrolments"),
    )
    enrolled = {e.client_id for e in enrolments}
    return render(
        request,
        "clients/session_detail.html",
        {
            "active_nav": "clients",
            "section": "sessions",
            "session": session,
            "enrolments": enrolments,
            "can_edit": SkillsSession.objects.editable_by(request.user).filter(pk=pk).exists(),
            "enrol_form": EnrolForm(
                clients=Client.objects.visible_to(request.user).exclude(pk__in=enrolled)
            ),
        },
    )


@require_POST
@client_page(*FIELD_ROLES)
def session_enrol(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    session = get_object_or_404(SkillsSession.objects.visible_to(request.user), pk=pk)
    form = EnrolForm(request.POST, clients=Client.objects.visible_to(request.user))
    if form.is_valid():
        try:
            services.enrolment_create(
                actor=request.user, session=session, client=form.cleaned_data["client"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("The client was enrolled."))
    else:
        messages.error(request, _("Choose a client to enrol."))
    return redirect("clients:session_detail", pk=pk)


@require_POST
@client_page(*FIELD_ROLES)
def enrolment_attendance(request: AuthenticatedRequest, pk: int, enrolment_pk: int) -> HttpResponse:
    session = get_object_or_404(SkillsSession.objects.editable_by(request.user), pk=pk)
    enrolment = get_object_or_404(
        Enrolment.objects.visible_to(request.user), pk=enrolment_pk, session=session
    )
    attended = {"1": True, "0": False}.get(request.POST.get("attended", ""))
    services.enrolment_attendance(actor=request.user, enrolment=enrolment, attended=attended)
    if is_htmx(request):
        return render(
            request,
            "clients/session_detail.html#attendance",
            {"session": session, "enrolment": enrolment, "can_edit": True},
        )
    return redirect("clients:session_detail", pk=pk)


# Data-subject rights -------------------------------------------------------------------------


@client_page(*CONTROLLERS)
def client_export_json(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    response = HttpResponse(
        rights.client_export_json(actor=request.user, client=client),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="clientdossier-{client.code}.json"'
    return response


@client_page(*CONTROLLERS)
def client_export_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    response = HttpResponse(
        rights.client_export_pdf(actor=request.user, client=client),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = f'attachment; filename="clientdossier-{client.code}.pdf"'
    return response


@client_page(*CONTROLLERS)
def client_erase(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    form = ReasonForm(request.POST or None, code=client.code)
    if request.method == "POST" and form.is_valid():
        try:
            rights.client_erase(
                actor=request.user, client=client, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The personal data of client %(code)s were erased; the figures remain.")
                % {"code": client.code},
            )
            return redirect("clients:client_list")
    return _form_page(
        request,
        title=_("Erase the client's personal data"),
        form=form,
        client=client,
        danger=True,
        intro=_(
            "This removes the name, birth date, address, contact details, national number, "
            "support needs, legal bases, notes and every earlier version of them, for good. "
            "Dates, measures and end reasons of steps stay, without a name, for the figures. "
            "Export the file first if the client asked for a copy."
        ),
    )


@client_page(*CONTROLLERS)
def client_access_log(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    client = _visible(request, pk)
    return render(
        request,
        template_for(request, "clients/access_log.html", "results"),
        {
            "active_nav": "clients",
            "client": client,
            "page": _page(request, selectors.access_log(user=request.user, client=client)),
        },
    )


@client_page(*MANAGERS)
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        template_for(request, "clients/access_log.html", "results"),
        {
            "active_nav": "client_access_log",
            "section": "access_log",
            "client": None,
            "page": _page(request, selectors.access_log(user=request.user)),
        },
    )


# Legal bases of organisations ----------------------------------------------------------------


@client_page(*FIELD_ROLES)
def legal_basis_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    editable = OrganisationLegalBasis.objects.editable_by(user)
    organisations = (
        _region_organisations(user)
        if role_of(user) == Role.COORDINATOR
        else _own_organisation(user)
    )
    can_edit = role_of(user) in DEVICE_KEEPERS
    form = OrganisationLegalBasisForm(
        request.POST or None,
        organisations=organisations,
        initial={"organisation": user.organisation_id},
    )
    if request.method == "POST":
        if not can_edit:
            raise Http404
        if form.is_valid():
            services.organisation_legal_basis_record(actor=user, **form.cleaned_data)
            messages.success(request, _("The legal basis was recorded."))
            return redirect("clients:legal_basis_list")
    return render(
        request,
        "clients/legal_basis_list.html",
        {
            "active_nav": "clients",
            "section": "legal_bases",
            "bases": OrganisationLegalBasis.objects.visible_to(user).select_related(
                "organisation", "recorded_by"
            ),
            "editable": set(editable.values_list("pk", flat=True)),
            "form": form if can_edit else None,
        },
    )


@require_POST
@client_page(*DEVICE_KEEPERS)
def organisation_legal_basis_withdraw(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    basis = get_object_or_404(OrganisationLegalBasis.objects.editable_by(request.user), pk=pk)
    try:
        removed = services.organisation_legal_basis_withdraw(actor=request.user, basis=basis)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _("The withdrawal was recorded; %(count)s national numbers were removed.")
            % {"count": removed},
        )
    return redirect("clients:legal_basis_list")


# Progression ---------------------------------------------------------------------------------


@client_page(*Role)
def progression(request: AuthenticatedRequest) -> HttpResponse:
    years = list(range(timezone.localdate().year, 2014, -1))
    form = ProgressionForm(request.GET or None, years=years)
    chosen = form.cleaned_data["year"] if form.is_bound and form.is_valid() else None
    page = selectors.progression_page(
        user=request.user, region_code=request.GET.get("region", ""), chosen=chosen
    )
    if page is None:
        raise Http404
    return render(
        request,
        "clients/progression.html",
        {
            "active_nav": "progression",
            "section": "progression",
            "form": form,
            "figures": page.figures,
            "regions": page.regions,
            "year": page.year,
            "asked_year": page.asked_year,
        },
    )
