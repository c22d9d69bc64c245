from typing import Any, ClassVar

from django.contrib import admin
from django.db.models import ForeignKey, Model
from django.forms import ModelChoiceField
from django.http import HttpRequest

from regie.core.admin import HistoryAdmin
from regie.plans import models


class StatusChangeInline(admin.TabularInline[models.StatusChange, models.Action]):
    model = models.StatusChange
    extra = 0
    fields = ("date", "from_status", "to_status", "reason", "new_start", "new_end", "changed_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: models.Action | None = None) -> bool:
        return False  # the history is written by the status change service only


class IndicatorInline(admin.TabularInline[models.Indicator, models.Action]):
    model = models.Indicator
    extra = 0


@admin.register(models.Action)
class ActionAdmin(HistoryAdmin[models.Action]):
    list_display = ("title", "region", "pillar", "year", "last_year", "status")
    list_filter = ("region", "pillar", "status", "year")
    search_fields = ("title", "description", "project_reference")
    autocomplete_fields = ("partner_organisations", "owner")
    readonly_fields = ("status", "status_since", "version")
    inlines = [IndicatorInline, StatusChangeInline]


@admin.register(models.Grant)
class GrantAdmin(HistoryAdmin[models.Grant]):
    list_display = ("region", "year", "amount", "calculated_amount", "funder", "decision_date")
    list_filter = ("region", "year")
    readonly_fields = ("calculated_amount", "calculation", "version")


class GrantChoicesAdmin[M: Model](HistoryAdmin[M]):
    """An admin of records that belong to a grant: each grant is named by its region."""

    list_select_related: ClassVar[tuple[str, ...]] = ("grant__region",)

    def formfield_for_foreignkey(
        self,
        db_field: ForeignKey[Any, Any],
        request: HttpRequest,
        **kwargs: Any,
    ) -> ModelChoiceField[Any] | None:
        if db_field.name == "grant":  # each grant is named by its region
            kwargs["queryset"] = models.Grant.objects.select_related("region")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(models.BudgetLine)
class BudgetLineAdmin(GrantChoicesAdmin[models.BudgetLine]):
    list_display = ("title", "grant", "action", "amount")
    list_select_related = ("grant__region", "action")
    list_filter = ("grant__region", "grant__year")
    readonly_fields = ("version",)


@admin.register(models.Expense)
class ExpenseAdmin(GrantChoicesAdmin[models.Expense]):
    list_display = ("date", "supplier", "description", "amount", "status", "grant")
    list_filter = ("status", "grant__region", "grant__year")
    search_fields = ("supplier", "description", "document")
    readonly_fields = ("version",)


@admin.register(models.CarryOver)
class CarryOverAdmin(HistoryAdmin[models.CarryOver]):
    list_display = ("region", "year", "amount", "status", "approved_amount", "decision_date")
    list_filter = ("status", "region")
    readonly_fields = ("version",)
