from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from regie.registry import models


class PostcodeInline(admin.TabularInline):
    model = models.Postcode
    extra = 0


class PopulationInline(admin.TabularInline):
    model = models.Population
    extra = 0


@admin.register(models.Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "nis_code", "is_centre_city")
    search_fields = ("name", "nis_code")
    inlines = [PostcodeInline, PopulationInline]


class MembershipInline(admin.TabularInline):
    model = models.RegionMembership
    extra = 0
    autocomplete_fields = ("municipality",)


@admin.register(models.Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "carrier")
    search_fields = ("name", "code")
    autocomplete_fields = ("carrier",)
    inlines = [MembershipInline]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "valid_from", "valid_until", "max_duration_months")


@admin.register(models.Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "kbo", "kind", "region", "is_archived")
    list_filter = ("kind", "region", "is_archived")
    search_fields = ("name", "kbo")
    readonly_fields = ("version",)


@admin.register(models.Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ("last_name", "first_name", "email", "region", "is_archived")
    list_filter = ("region", "is_archived")
    search_fields = ("last_name", "first_name", "email")
    readonly_fields = ("version",)
