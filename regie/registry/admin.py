from django.contrib import admin

from regie.core.admin import HistoryAdmin
from regie.registry import models


class PostcodeInline(admin.TabularInline[models.Postcode, models.Municipality]):
    model = models.Postcode
    extra = 0


class PopulationInline(admin.TabularInline[models.Population, models.Municipality]):
    model = models.Population
    extra = 0


@admin.register(models.Municipality)
class MunicipalityAdmin(HistoryAdmin[models.Municipality]):
    list_display = ("name", "nis_code", "is_centre_city")
    search_fields = ("name", "nis_code")
    inlines = [PostcodeInline, PopulationInline]


class MembershipInline(admin.TabularInline[models.RegionMembership, models.Region]):
    model = models.RegionMembership
    extra = 0
    autocomplete_fields = ("municipality",)


@admin.register(models.Region)
class RegionAdmin(HistoryAdmin[models.Region]):
    list_display = ("name", "code", "carrier")
    search_fields = ("name", "code")
    autocomplete_fields = ("carrier",)
    inlines = [MembershipInline]


@admin.register(models.Measure)
class MeasureAdmin(admin.ModelAdmin[models.Measure]):
    list_display = ("code", "name", "valid_from", "valid_until", "max_duration_months")


@admin.register(models.Organisation)
class OrganisationAdmin(HistoryAdmin[models.Organisation]):
    list_display = ("name", "kbo", "kind", "region", "is_archived")
    list_filter = ("kind", "region", "is_archived")
    search_fields = ("name", "kbo")
    readonly_fields = ("version",)


@admin.register(models.Person)
class PersonAdmin(HistoryAdmin[models.Person]):
    list_display = ("last_name", "first_name", "email", "region", "is_archived")
    list_filter = ("region", "is_archived")
    search_fields = ("last_name", "first_name", "email")
    readonly_fields = ("version",)
