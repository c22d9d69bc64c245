"""Django's admin shows vans and plan statuses for the technical administrator; home workers,
orders and stops hold client data and are not registered here (see docs/privacy.md)."""

from django.contrib import admin

from regie.logistics import models


@admin.register(models.Van)
class VanAdmin(admin.ModelAdmin[models.Van]):
    list_display = ("name", "organisation", "depot", "capacity_volume", "capacity_weight")
    list_filter = ("organisation",)
    raw_id_fields = ("driver", "depot")


@admin.register(models.RoundPlan)
class RoundPlanAdmin(admin.ModelAdmin[models.RoundPlan]):
    list_display = ("date", "organisation", "status", "progress", "matrix_source", "created_at")
    list_filter = ("status",)
    fields = ("organisation", "date", "status", "progress", "time_limit", "error")
    readonly_fields = fields
