from django.urls import path

from linli.facilities.web import staff

app_name = "facilities"
urlpatterns = [
    path("", staff.registry, name="registry"),
    path("new/", staff.facility_edit, name="new"),
    path("import/", staff.registry_import, name="import"),
    path("import/template.xlsx", staff.registry_template, name="template"),
    path("compliance/", staff.compliance, name="compliance"),
    path("map/", staff.coverage_map, name="map"),
    path("runs/", staff.runs, name="runs"),
    path("runs/<uuid:public_id>/", staff.run_page, name="run"),
    path("kinds/", staff.kinds, name="kinds"),
    path("kinds/<slug:code>/", staff.kind_edit, name="kind"),
    path("<uuid:public_id>/", staff.facility_edit, name="edit"),
]
