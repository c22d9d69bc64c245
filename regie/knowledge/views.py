"""Knowledge base pages: one search box over practices and rules, and their detail pages."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regie.accounts.models import User
from regie.core.forms import add_service_errors
from regie.core.htmx import template_for
from regie.core.permissions import (
    MANAGERS,
    NETWORK_ROLES,
    AuthenticatedRequest,
    role_of,
    role_required,
)
from regie.core.versioning import versioned_edit
from regie.knowledge import selectors, services
from regie.knowledge.forms import (
    AnswerForm,
    KnowledgeSearchForm,
    PracticeForm,
    RuleForm,
    TranslationForm,
)
from regie.knowledge.models import Practice, PracticeAnswer, Rule
from regie.network.models import Meeting
from regie.registry.models import Organisation, Region


@role_required(*NETWORK_ROLES)
def knowledge_home(request: AuthenticatedRequest) -> HttpResponse:
    form = KnowledgeSearchForm(request.GET or None)
    q = kind = ""
    if form.is_valid():
        q, kind = form.cleaned_data["q"].strip(), form.cleaned_data["kind"]
    hits = selectors.knowledge_search(user=request.user, q=q, kind=kind) if q else []
    return render(
        request,
        template_for(request, "knowledge/home.html", "results"),
        {
            "active_nav": "knowledge",
            "form": form,
            "q": q,
            "hits": hits,
            "practices": selectors.recent_practices(user=request.user),
            "rules": selectors.recent_rules(user=request.user),
            "can_manage": role_of(request.user) in MANAGERS,
        },
    )


def _answer_organisations(user: User) -> QuerySet[Organisation]:
    if role_of(user) in MANAGERS:
        return Organisation.objects.visible_to(user).filter(is_archived=False)
    if user.organisation_id is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(pk=user.organisation_id)


@role_required(*NETWORK_ROLES)
def practice_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(
        Practice.objects.visible_to(request.user)
        .select_related("meeting", "agenda_item")
        .prefetch_related(
            Prefetch("answers", queryset=PracticeAnswer.objects.select_related("organisation"))
        ),
        pk=pk,
    )
    return render(
        request,
        "knowledge/practice_detail.html",
        {
            "active_nav": "knowledge",
            "practice": practice,
            "answer_form": AnswerForm(organisations=_answer_organisations(request.user)),
            "can_manage": Practice.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@require_POST
@role_required(*NETWORK_ROLES)
def practice_answer(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.visible_to(request.user), pk=pk)
    form = AnswerForm(request.POST, organisations=_answer_organisations(request.user))
    if form.is_valid():
        services.practice_answer_add(actor=request.user, practice=practice, **form.cleaned_data)
        messages.success(request, _("Thank you: your answer was added."))
        return redirect("knowledge:practice_detail", pk=pk)
    practice = Practice.objects.prefetch_related("answers__organisation").get(pk=pk)
    return render(
        request,
        "knowledge/practice_detail.html",
        {"active_nav": "knowledge", "practice": practice, "answer_form": form},
    )


@role_required(*MANAGERS)
def practice_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    practice = get_object_or_404(Practice.objects.editable_by(request.user), pk=pk) if pk else None
    meetings = Meeting.objects.visible_to(request.user).order_by("-start")
    form = PracticeForm(request.POST or None, instance=practice, meetings=meetings)

    def save() -> Practice:
        if practice is None:
            return services.practice_create(
                actor=request.user, region=_region(request), **form.changes()
            )
        return services.practice_update(
            actor=request.user,
            practice=practice,
            expected_version=form.expected_version,
            **form.changes(),
        )

    edit = versioned_edit(form, save=save)
    if edit.saved and edit.result is not None:
        messages.success(request, _("The practice was saved."))
        return redirect("knowledge:practice_detail", pk=edit.result.pk)
    return render(
        request,
        "knowledge/form.html",
        {
            "active_nav": "knowledge",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit practice") if practice else _("New practice"),
            "cancel_url": practice.get_absolute_url() if practice else reverse("knowledge:home"),
        },
    )


@role_required(*NETWORK_ROLES)
def rule_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(
        Rule.objects.visible_to(request.user).prefetch_related("translations"), pk=pk
    )
    return render(
        request,
        "knowledge/rule_detail.html",
        {
            "active_nav": "knowledge",
            "rule": rule,
            "can_manage": Rule.objects.editable_by(request.user).filter(pk=pk).exists(),
        },
    )


@role_required(*MANAGERS)
def rule_form(request: AuthenticatedRequest, pk: int | None = None) -> HttpResponse:
    rule = get_object_or_404(Rule.objects.editable_by(request.user), pk=pk) if pk else None
    form = RuleForm(request.POST or None, instance=rule)

    def save() -> Rule:
        if rule is None:
            return services.rule_create(
                actor=request.user, region=_region(request), **form.changes()
            )
        return services.rule_update(
            actor=request.user, rule=rule, expected_version=form.expected_version, **form.changes()
        )

    edit = versioned_edit(form, save=save)
    if edit.saved and edit.result is not None:
        messages.success(request, _("The rule was saved."))
        return redirect("knowledge:rule_detail", pk=edit.result.pk)
    return render(
        request,
        "knowledge/form.html",
        {
            "active_nav": "knowledge",
            "form": form,
            "stale": edit.stale,
            "title": _("Edit rule") if rule else _("New rule"),
            "cancel_url": rule.get_absolute_url() if rule else reverse("knowledge:home"),
        },
    )


@role_required(*MANAGERS)
def rule_translation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(Rule.objects.editable_by(request.user), pk=pk)
    initial = {"floor_type": request.GET.get("floor_type", "")}
    existing = rule.translations.filter(floor_type=initial["floor_type"]).first()
    if existing is not None:
        initial["practice"] = existing.practice
    form = TranslationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_translation_set(actor=request.user, rule=rule, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The translation into practice was saved."))
            return redirect("knowledge:rule_detail", pk=pk)
    return render(
        request,
        "knowledge/form.html",
        {
            "active_nav": "knowledge",
            "form": form,
            "title": _("Translation into practice: %(rule)s") % {"rule": rule},
            "cancel_url": rule.get_absolute_url(),
        },
    )


def _region(request: AuthenticatedRequest) -> Region:
    """Knowledge belongs to the coordinator's region (an admin's own region, if set)."""
    region = request.user.region
    if region is None:
        raise ValidationError(_("Your account is not linked to a region."))
    return region
