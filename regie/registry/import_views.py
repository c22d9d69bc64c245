"""Import pages: upload a spreadsheet, check every row in a preview, then import all or nothing."""

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from regie.core.forms import StyledFormMixin, set_choices_queryset
from regie.core.permissions import (
    MANAGERS,
    Actor,
    AuthenticatedRequest,
    Role,
    role_of,
    role_required,
)
from regie.registry import imports
from regie.registry.models import Region

SPREADSHEET_TYPES = ",".join(
    [
        ".csv",
        ".xlsx",
        "text/csv",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ]
)


class ImportUploadForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), choices=imports.ImportKind)
    region = forms.ModelChoiceField(label=gettext_lazy("Region"), queryset=Region.objects.none())
    file = forms.FileField(
        label=gettext_lazy("File"),
        widget=forms.FileInput(attrs={"accept": SPREADSHEET_TYPES}),
    )

    def __init__(self, *args: Any, user: Actor, **kwargs: Any) -> None:  # Any: passed on to Django
        super().__init__(*args, **kwargs)
        if role_of(user) == Role.ADMIN:
            set_choices_queryset(self, "region", Region.objects.order_by("name"))
            self.fields["region"].initial = user.region_id
        else:
            del self.fields["region"]
        limit = filesizeformat(settings.REGIE_IMPORT_MAX_BYTES)
        self.fields["file"].help_text = _(
            "CSV (comma or semicolon) or Excel workbook (.xlsx), at most %(limit)s."
        ) % {"limit": limit}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        limit = settings.REGIE_IMPORT_MAX_BYTES
        if upload.size is not None and upload.size > limit:
            raise ValidationError(
                _("The file is %(size)s; the limit is %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
                code="too_large",
            )
        return upload


@role_required(*MANAGERS)
def upload(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=user)
    if request.method == "POST" and form.is_valid():
        region: Region | None = form.cleaned_data.get("region") or user.region
        if region is None:
            raise Http404
        kind = form.cleaned_data["kind"]
        upload: UploadedFile[bytes] = form.cleaned_data["file"]
        data = upload.read()
        try:
            imports.import_check(kind=kind, data=data)
        except imports.ImportFileError as error:
            form.add_error("file", error)
        else:
            staged = imports.import_stage(
                actor=user, region=region, kind=kind, filename=upload.name or "", data=data
            )
            return redirect("registry:import_preview", token=staged.token)
    return render(
        request,
        "registry/import_upload.html",
        {
            "form": form,
            "guide": imports.column_guide(),
            "max_rows": imports.MAX_ROWS,
            "active_nav": "import",
        },
    )


@role_required(*MANAGERS)
def preview(request: AuthenticatedRequest, token: uuid.UUID) -> HttpResponse:
    user = request.user
    staged = imports.staged_import(token=token, actor=user)
    if staged is None:
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "cancel":
        imports.import_discard(staged=staged)
        messages.info(request, _("The import was cancelled; nothing was imported."))
        return redirect("registry:import_upload")
    status = 200
    try:
        if action == "commit":
            return _commit(request, user, staged)
        plan = imports.import_preview(
            actor=user, region=staged.region, kind=staged.kind, data=staged.read()
        )
    except imports.ImportRejected as rejected:
        plan, status = rejected.plan, 400
        messages.error(request, rejected.messages[0])
    except imports.ImportFileError as error:
        imports.import_discard(staged=staged)
        messages.error(request, " ".join(error.messages))
        return redirect("registry:import_upload")
    return render(
        request,
        "registry/import_preview.html",
        {
            "staged": staged,
            "plan": plan,
            "kind_label": imports.ImportKind(staged.kind).label,
            "active_nav": "import",
        },
        status=status,
    )


def _commit(request: HttpRequest, user: Actor, staged: imports.StagedImport) -> HttpResponse:
    """Import the staged file, all or nothing, and show the list of what was imported."""
    result = imports.registry_import_commit(
        actor=user,
        region=staged.region,
        kind=staged.kind,
        data=staged.read(),
        filename=staged.filename,
    )
    imports.import_discard(staged=staged)
    messages.success(
        request,
        _("Import done: %(new)s new, %(updated)s updated, %(unchanged)s unchanged.")
        % {"new": result.new, "updated": result.updated, "unchanged": result.unchanged},
    )
    if result.kind == imports.ImportKind.PEOPLE:
        return redirect("registry:person_list")
    return redirect("registry:organisation_list")
