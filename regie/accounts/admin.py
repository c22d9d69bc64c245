from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from regie.accounts.models import ApiToken, User


@admin.register(User)
class RegieUserAdmin(UserAdmin[User]):
    list_display = ("username", "get_full_name", "email", "role", "region", "is_active")
    list_filter = ("role", "region", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email")
    autocomplete_fields = ("organisation", "municipality")
    fieldsets = (
        *(UserAdmin.fieldsets or ()),
        (_("Role in Regie"), {"fields": ("role", "region", "organisation", "municipality")}),
    )
    add_fieldsets = (
        *UserAdmin.add_fieldsets,
        (
            _("Role in Regie"),
            {"fields": ("email", "role", "region", "organisation", "municipality")},
        ),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ("user", "name", "created_at", "last_used_at", "revoked_at")
    list_filter = ("revoked_at",)
    readonly_fields = ("user", "key_hash", "created_at", "last_used_at")
    search_fields = ("user__username", "name")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made with `manage.py create_api_token`, shown once
