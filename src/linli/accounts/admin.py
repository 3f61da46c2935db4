from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, AdminUserCreationForm

from linli.accounts.models import ApiToken, Posting, User
from linli.accounts.services import password_change_required_mark


class AdminSetPasswordForm(AdminPasswordChangeForm):
    """A password an administrator typed must be replaced by its holder at the next log-in."""

    def save(self, commit=True):
        user = super().save(commit=commit)
        if commit:
            password_change_required_mark(user=user)
        return user


class AdminCreateForm(AdminUserCreationForm):
    def save(self, commit=True):
        user = super().save(commit=False)
        user.password_change_required = True
        if commit:
            user.save()
        return user


class PostingInline(admin.TabularInline):
    """View-only: postings are made with `linli grant` (the `posting_add` service), which derives
    the scope path from the place; an admin form could save a posting with no scope check."""

    model = Posting
    extra = 0
    fields = ("role", "org_unit", "grid", "department", "scope_path", "citywide", "started_at", "ended_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = (*BaseUserAdmin.fieldsets, ("Linli", {"fields": ("display_name", "password_change_required")}))
    add_form = AdminCreateForm
    change_password_form = AdminSetPasswordForm
    list_display = ("username", "display_name", "is_active", "last_login")
    inlines = [PostingInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "user", "name", "created_at", "expires_at", "revoked_at", "last_used_at")
    readonly_fields = ("key_hash", "prefix", "public_id", "created_at", "last_used_at")
    search_fields = ("user__username", "prefix")
