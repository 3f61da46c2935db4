from django.urls import path

from linli.partners.web import staff

app_name = "partners"
urlpatterns = [
    path("", staff.home, name="home"),
    path("orgs/new/", staff.org_edit, name="org-new"),
    path("orgs/import/", staff.register_import, name="import"),
    path("orgs/template/", staff.register_template, name="template"),
    path("orgs/<uuid:public_id>/", staff.org_detail, name="org"),
    path("orgs/<uuid:public_id>/edit/", staff.org_edit, name="org-edit"),
    path("orgs/<uuid:public_id>/deregister/", staff.org_deregister, name="org-deregister"),
    path("orgs/<uuid:public_id>/evaluate/", staff.org_evaluate, name="org-evaluate"),
    path("orgs/<uuid:public_id>/accounts/", staff.org_members, name="org-members"),
    path("orgs/<uuid:public_id>/phone/", staff.org_phone, name="org-phone"),
    path("sheet/", staff.sheet, name="sheet"),
    path("stations/", staff.stations, name="stations"),
    path("stations/new/", staff.station_edit, name="station-new"),
    path("stations/<uuid:public_id>/", staff.station_detail, name="station"),
    path("stations/<uuid:public_id>/edit/", staff.station_edit, name="station-edit"),
    path("stations/<uuid:station_id>/workers/new/", staff.worker_edit, name="worker-new"),
    path("stations/<uuid:station_id>/workers/<uuid:public_id>/", staff.worker_edit, name="worker-edit"),
    path("premises/", staff.premises, name="premises"),
    path("premises/new/", staff.premises_edit, name="premises-new"),
    path("premises/<uuid:public_id>/", staff.premises_detail, name="premises-detail"),
    path("premises/<uuid:public_id>/edit/", staff.premises_edit, name="premises-edit"),
    path("figures/", staff.figures, name="figures"),
]
