"""The admin's edit paths of the service desk: each community window's address, phone and hours
(printed on acceptance receipts and one-time notices), and the issued notices (read only)."""

from django.contrib import admin

from linli.service_desk.models import MaterialsNotice, ServiceWindow


@admin.register(ServiceWindow)
class ServiceWindowAdmin(admin.ModelAdmin):
    list_display = ("org_path", "name", "address", "phone", "hours")
    search_fields = ("org_path", "name", "address")


@admin.register(MaterialsNotice)
class MaterialsNoticeAdmin(admin.ModelAdmin):
    list_display = ("number", "applicant_name", "desk_path", "deadline", "issued_at", "issued_by")
    search_fields = ("number", "applicant_name")
    readonly_fields = [f.name for f in MaterialsNotice._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False  # notices are issued at the window, never typed in
