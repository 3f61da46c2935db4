from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from linli.accounts.models import ApiToken, Posting, User


class PostingInline(admin.TabularInline):
    model = Posting
    extra = 0
    raw_id_fields = ("org_unit", "grid", "department")
    readonly_fields = ("scope_path", "citywide", "started_at")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Linli", {"fields": ("display_name",)}))
    list_display = ("username", "display_name", "is_active", "last_login")
    inlines = [PostingInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "public_id", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")
