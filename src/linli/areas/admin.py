from django.contrib import admin

from linli.areas.models import Building, Department, Grid, OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "unit_type", "urban_rural", "urban_rural_derived", "is_active")
    list_filter = ("kind", "unit_type", "urban_rural")
    search_fields = ("code", "name")
    readonly_fields = ("code", "path", "depth", "parent")


@admin.register(Grid)
class GridAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "community")
    search_fields = ("code", "name", "community__name")
    raw_id_fields = ("community",)


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "grid", "floors")
    search_fields = ("code", "name", "address")
    raw_id_fields = ("grid",)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "org_unit")
    list_filter = ("kind",)
    search_fields = ("code", "name")
