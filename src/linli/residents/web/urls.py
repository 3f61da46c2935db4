from django.urls import path

from linli.residents.web import imports, staff

app_name = "residents"
urlpatterns = [
    path("", staff.search, name="search"),
    path("people/<uuid:public_id>/", staff.resident_page, name="resident"),
    path("people/<uuid:public_id>/reveal/<str:field_name>/", staff.reveal, name="reveal"),
    path("people/<uuid:public_id>/move/", staff.move, name="move"),
    path("households/", staff.households, name="households"),
    path("households/new/", staff.household_new, name="household-new"),
    path("households/<uuid:public_id>/", staff.household_page, name="household"),
    path("households/<uuid:public_id>/members/new/", staff.member_new, name="member-new"),
    path("care/", staff.care, name="care"),
    path("plan/", staff.plan, name="plan"),
    path("visits/new/", staff.visit_new, name="visit-new"),
    path("reveal-rights/", staff.reveal_rights_page, name="reveal-rights"),
    path("rates/", staff.rates, name="rates"),
    path("rates/<str:code>/", staff.rates, name="rates-unit"),
    path("import/", imports.import_page, name="residents-import"),
    path("import/template.xlsx", imports.import_template, name="residents-import-template"),
    path("import/jobs/<uuid:public_id>/", imports.import_job_status, name="residents-import-job"),
    path("import/jobs/<uuid:public_id>/errors/", imports.import_errors, name="residents-import-errors"),
    path("export/<str:what>.xlsx", imports.export_xlsx, name="residents-export"),
]
