"""Registry pages: thin views — scoped lookup, form, one service call, render or redirect."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import models
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.core.forms import add_service_errors
from regie.core.history import record_history
from regie.core.htmx import template_for
from regie.core.permissions import (
    MANAGERS,
    NETWORK_ROLES,
    Actor,
    AuthenticatedRequest,
    Role,
    role_of,
    role_required,
)
from regie.core.spreadsheets import csv_response, xlsx_response
from regie.core.versioning import versioned_edit
from regie.registry import selectors, services
from regie.registry.forms import (
    AffiliationForm,
    ContactForm,
    NewPersonForm,
    OrganisationFilterForm,
    OrganisationForm,
    PersonFilterForm,
    PersonForm,
    RecognitionForm,
    SiteForm,
)
from regie.registry.models import (
    Affiliation,
    Measure,
    Municipality,
    Organisation,
    Person,
    Recognition,
    Site,
)
from regie.registry.querysets import EDITORS


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    today = datetime.date.today()
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    year = min(max(year, 2014), today.year + 1)
    board = selectors.dashboard(user=request.user, year=year)
    return render(
        request,
        "registry/home.html",
        {
            "active_nav": "home",
            "board": board,
            "years": range(today.year + 1, 2013, -1),
        },
    )


def _region_municipalities(user: Actor) -> QuerySet[Municipality]:
    return selectors.municipality_list(user=user)


def _page[M: models.Model](request: HttpRequest, rows: QuerySet[M]) -> "Page[M]":
    return Paginator(rows, settings.REGIE_PAGE_SIZE).get_page(request.GET.get("page"))


# Organisations -------------------------------------------------------------------------------


@role_required(*NETWORK_ROLES)
def organisation_list(request: AuthenticatedRequest) -> HttpResponse:
    form = OrganisationFilterForm(
        request.GET or None, municipalities=_region_municipalities(request.user)
    )
    filters = form.filters() if form.is_bound else {"archived": "active", "sort": "name"}
    organisations = selectors.organisation_list(user=request.user, **filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _organisation_export(organisations, export)
    return render(
        request,
        template_for(request, "registry/organisation_list.html", "results"),
        {
            "active_nav": "organisations",
            "form": form,
            **_list_context(request, organisations, sort=filters["sort"]),
            "can_create": role_of(request.user) in MANAGERS,
        },
    )


def _list_context[M: models.Model](
    request: HttpRequest, rows: QuerySet[M], *, sort: str
) -> dict[str, object]:
    """The page of ``rows`` and the query strings its pagination and sort links keep."""
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = query.copy()
    sort_query.pop("sort", None)
    return {
        "page": _page(request, rows),
        "sort": sort,
        "query": query.urlencode(),
        "sort_query": sort_query.urlencode(),
    }


def _organisation_export(organisations: QuerySet[Organisation], kind: str) -> HttpResponse:
    header = [
        _("Name"),
        _("Enterprise number"),
        _("Kind"),
        _("Municipality"),
        _("Recognitions"),
        _("E-mail"),
        _("Phone"),
        _("Website"),
        _("Archived"),
    ]
    rows = (
        [
            organisation.name,
            organisation.kbo_display,
            organisation.get_kind_display(),
            getattr(organisation, "main_municipality_name", None) or "",
            ", ".join(r.measure.code for r in organisation.recognitions.all()),
            organisation.email,
            organisation.phone,
            organisation.website,
            _("yes") if organisation.is_archived else _("no"),
        ]
        for organisation in organisations
    )
    stamp = datetime.date.today().isoformat()
    if kind == "csv":
        return csv_response(f"organisaties-{stamp}.csv", header, rows)
    return xlsx_response(f"organisaties-{stamp}.xlsx", _("Organisations"), header, rows)


@role_required(*NETWORK_ROLES)
def organisation_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        organisation = selectors.organisation_detail(user=request.user, pk=pk)
    except Organisation.DoesNotExist:
        raise Http404 from None
    can_edit = Organisation.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "registry/organisation_detail.html",
        {
            "active_nav": "organisations",
            "organisation": organisation,
            "can_edit": can_edit,
            "can_manage": can_edit and role_of(request.user) in MANAGERS,
            "contact_form": ContactForm(instance=organisation) if can_edit else None,
            "history": record_history(
                records=[
                    organisation,
                    *organisation.sites.all(),
                    *organisation.recognitions.all(),
                ]
            ),
        },
    )


@role_required(*MANAGERS)
def organisation_create(request: AuthenticatedRequest) -> HttpResponse:
    choose_region = role_of(request.user) == Role.ADMIN
    form = OrganisationForm(request.POST or None, choose_region=choose_region)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        region = data.pop("region", None) or request.user.region
        data.pop("version", None)
        if region is None:
            raise Http404
        try:
            organisation = services.organisation_create(
                actor=request.user,
                region=region,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Organisation %(name)s was created.") % {"name": organisation}
            )
            return redirect("registry:organisation_detail", pk=organisation.pk)
    return render(
        request,
        "registry/organisation_form.html",
        {"active_nav": "organisations", "form": form, "organisation": None},
    )


@role_required(*EDITORS)
def organisation_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    form = OrganisationForm(request.POST or None, instance=organisation)
    edit = versioned_edit(
        form,
        save=lambda: services.organisation_update(
            actor=request.user,
            organisation=organisation,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("registry:organisation_detail", pk=pk)
    return render(
        request,
        "registry/organisation_form.html",
        {
            "active_nav": "organisations",
            "form": form,
            "organisation": organisation,
            "stale": edit.stale,
        },
    )


@role_required(*EDITORS)
def organisation_contact(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Inline edit of the contact card (htmx): GET shows the form, POST saves it."""
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    editing = request.method == "POST" or request.GET.get("edit") == "1"
    form = ContactForm(request.POST or None, instance=organisation)
    edit = versioned_edit(
        form,
        save=lambda: services.organisation_update(
            actor=request.user,
            organisation=organisation,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved and edit.result is not None:
        organisation, editing = edit.result, False
        form = ContactForm(instance=organisation)
    if not request.headers.get("HX-Request"):
        return redirect("registry:organisation_detail", pk=pk)
    return render(
        request,
        "registry/organisation_detail.html#contact",
        {"organisation": organisation, "contact_form": form, "editing": editing, "can_edit": True},
    )


@require_POST
@role_required(*EDITORS)
def organisation_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    try:
        services.organisation_archive(
            actor=request.user,
            organisation=organisation,
            expected_version=int(request.POST.get("version", 0)),
            archived=archived,
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        message = _("%(name)s was archived.") if archived else _("%(name)s was restored.")
        messages.success(request, message % {"name": organisation})
    return redirect("registry:organisation_detail", pk=pk)


# Sites and recognitions ----------------------------------------------------------------------


@role_required(*EDITORS)
def site_form(request: AuthenticatedRequest, pk: int, site_pk: int | None = None) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    site = (
        get_object_or_404(Site.objects.editable_by(request.user), pk=site_pk, organisation=pk)
        if site_pk
        else None
    )
    form = SiteForm(
        request.POST or None,
        instance=site,
        municipalities=_region_municipalities(request.user),
    )

    def save() -> Site:
        if site is None:
            return services.site_create(
                actor=request.user, organisation=organisation, **form.changes()
            )
        return services.site_update(
            actor=request.user, site=site, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The site was saved."))
        return redirect("registry:organisation_detail", pk=pk)
    return render(
        request,
        "registry/part_form.html",
        {
            "active_nav": "organisations",
            "form": form,
            "organisation": organisation,
            "stale": edit.stale,
            "title": _("Edit site") if site else _("New site"),
        },
    )


@role_required(*MANAGERS)
def recognition_form(
    request: AuthenticatedRequest, pk: int, recognition_pk: int | None = None
) -> HttpResponse:
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    recognitions = Recognition.objects.editable_by(request.user).filter(organisation=pk)
    recognition = get_object_or_404(recognitions, pk=recognition_pk) if recognition_pk else None
    form = RecognitionForm(request.POST or None, instance=recognition)

    def save() -> Recognition:
        if recognition is None:
            return services.recognition_create(
                actor=request.user, organisation=organisation, **form.changes()
            )
        return services.recognition_update(
            actor=request.user,
            recognition=recognition,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The recognition was saved."))
        return redirect("registry:organisation_detail", pk=pk)
    return render(
        request,
        "registry/part_form.html",
        {
            "active_nav": "organisations",
            "form": form,
            "organisation": organisation,
            "stale": edit.stale,
            "title": _("Edit recognition") if recognition else _("New recognition"),
            "measures": Measure.objects.all(),
        },
    )


# People --------------------------------------------------------------------------------------


@role_required(*NETWORK_ROLES)
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    organisations = Organisation.objects.visible_to(request.user).filter(is_archived=False)
    form = PersonFilterForm(request.GET or None, organisations=organisations)
    filters = form.filters() if form.is_bound else {"archived": "active", "sort": "name"}
    people = selectors.person_list(user=request.user, **filters)
    export = request.GET.get("export")
    if export in {"csv", "xlsx"}:
        return _person_export(people, export)
    return render(
        request,
        template_for(request, "registry/person_list.html", "results"),
        {
            "active_nav": "people",
            "form": form,
            **_list_context(request, people, sort=filters["sort"]),
            "can_create": role_of(request.user) in EDITORS,
        },
    )


def _person_export(people: QuerySet[Person], kind: str) -> HttpResponse:
    header = [
        _("First name"),
        _("Last name"),
        _("E-mail"),
        _("Phone"),
        _("Organisations and functions"),
        _("Archived"),
    ]
    rows = (
        [
            person.first_name,
            person.last_name,
            person.email,
            person.phone,
            "; ".join(
                f"{a.organisation} ({a.get_function_display()})"
                for a in person.affiliations.all()
                if a.is_current
            ),
            _("yes") if person.is_archived else _("no"),
        ]
        for person in people
    )
    stamp = datetime.date.today().isoformat()
    if kind == "csv":
        return csv_response(f"personen-{stamp}.csv", header, rows)
    return xlsx_response(f"personen-{stamp}.xlsx", _("People"), header, rows)


@role_required(*NETWORK_ROLES)
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    try:
        person = selectors.person_detail(user=request.user, pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    can_edit = Person.objects.editable_by(request.user).filter(pk=pk).exists()
    return render(
        request,
        "registry/person_detail.html",
        {
            "active_nav": "people",
            "person": person,
            "can_edit": can_edit,
            "history": record_history(
                records=[person, *getattr(person, "visible_affiliations", ())]
            ),
        },
    )


@role_required(*EDITORS)
def person_create(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    is_partner = role_of(user) == Role.PARTNER
    organisations = Organisation.objects.editable_by(user).filter(is_archived=False)
    form = NewPersonForm(
        request.POST or None, organisations=organisations, require_affiliation=is_partner
    )
    if role_of(user) == Role.ADMIN and not user.region_id:
        form.fields["organisation"].required = True
    if request.method == "POST" and form.is_valid():
        affiliation = form.affiliation()
        region = user.region or (affiliation.organisation.region if affiliation else None)
        if region is None:
            raise Http404
        try:
            person = services.person_create(
                actor=user, region=region, affiliation=affiliation, **form.person_fields()
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": person})
            return redirect("registry:person_detail", pk=person.pk)
    return render(
        request, "registry/person_form.html", {"active_nav": "people", "form": form, "person": None}
    )


@role_required(*EDITORS)
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.editable_by(request.user), pk=pk)
    form = PersonForm(request.POST or None, instance=person)
    edit = versioned_edit(
        form,
        save=lambda: services.person_update(
            actor=request.user,
            person=person,
            expected_version=form.expected_version,
            **form.changes(),
        ),
    )
    if edit.saved:
        messages.success(request, _("The changes were saved."))
        return redirect("registry:person_detail", pk=pk)
    return render(
        request,
        "registry/person_form.html",
        {"active_nav": "people", "form": form, "person": person, "stale": edit.stale},
    )


@require_POST
@role_required(*EDITORS)
def person_archive(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = get_object_or_404(Person.objects.editable_by(request.user), pk=pk)
    archived = request.POST.get("archived", "1") == "1"
    try:
        services.person_archive(
            actor=request.user,
            person=person,
            expected_version=int(request.POST.get("version", 0)),
            archived=archived,
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    else:
        message = _("%(name)s was archived.") if archived else _("%(name)s was restored.")
        messages.success(request, message % {"name": person})
    return redirect("registry:person_detail", pk=pk)


@role_required(*EDITORS)
def affiliation_form(
    request: AuthenticatedRequest, pk: int, affiliation_pk: int | None = None
) -> HttpResponse:
    person = get_object_or_404(Person.objects.editable_by(request.user), pk=pk)
    affiliation = (
        get_object_or_404(
            Affiliation.objects.editable_by(request.user), pk=affiliation_pk, person=pk
        )
        if affiliation_pk
        else None
    )
    organisations = Organisation.objects.editable_by(request.user).filter(is_archived=False)
    form = AffiliationForm(request.POST or None, instance=affiliation, organisations=organisations)

    def save() -> Affiliation:
        if affiliation is None:
            return services.affiliation_create(actor=request.user, person=person, **form.changes())
        return services.affiliation_update(
            actor=request.user,
            affiliation=affiliation,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved:
        messages.success(request, _("The function was saved."))
        return redirect("registry:person_detail", pk=pk)
    return render(
        request,
        "registry/part_form.html",
        {
            "active_nav": "people",
            "form": form,
            "person": person,
            "stale": edit.stale,
            "title": _("Edit function") if affiliation else _("New function"),
        },
    )


# Municipalities ------------------------------------------------------------------------------


@login_required
def municipality_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "registry/municipality_list.html",
        {
            "active_nav": "municipalities",
            "municipalities": selectors.municipality_list(user=request.user),
        },
    )
