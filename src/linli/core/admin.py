from django.contrib import admin

from linli.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is append-only (the database refuses changes as well)."""

    list_display = ("at", "actor_name", "action", "object_type", "object_id", "org_path", "client_address")
    list_filter = ("action",)
    search_fields = ("actor_name", "object_id", "org_path")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
