from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from regie.plans import models


class StatusChangeInline(admin.TabularInline):
    model = models.StatusChange
    extra = 0
    fields = ("date", "from_status", "to_status", "reason", "new_start", "new_end", "changed_by")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # the history is written by the status change service only


class IndicatorInline(admin.TabularInline):
    model = models.Indicator
    extra = 0


@admin.register(models.Action)
class ActionAdmin(SimpleHistoryAdmin):
    list_display = ("title", "region", "pillar", "year", "last_year", "status")
    list_filter = ("region", "pillar", "status", "year")
    search_fields = ("title", "description", "project_reference")
    autocomplete_fields = ("partner_organisations", "owner")
    readonly_fields = ("status", "status_since", "version")
    inlines = [IndicatorInline, StatusChangeInline]


@admin.register(models.Grant)
class GrantAdmin(SimpleHistoryAdmin):
    list_display = ("region", "year", "amount", "calculated_amount", "funder", "decision_date")
    list_filter = ("region", "year")
    readonly_fields = ("calculated_amount", "calculation", "version")


@admin.register(models.BudgetLine)
class BudgetLineAdmin(SimpleHistoryAdmin):
    list_display = ("title", "grant", "action", "amount")
    list_filter = ("grant__region", "grant__year")
    readonly_fields = ("version",)


@admin.register(models.Expense)
class ExpenseAdmin(SimpleHistoryAdmin):
    list_display = ("date", "supplier", "description", "amount", "status", "grant")
    list_filter = ("status", "grant__region", "grant__year")
    search_fields = ("supplier", "description", "document")
    readonly_fields = ("version",)


@admin.register(models.CarryOver)
class CarryOverAdmin(SimpleHistoryAdmin):
    list_display = ("region", "year", "amount", "status", "approved_amount", "decision_date")
    list_filter = ("status", "region")
    readonly_fields = ("version",)
