from django.urls import include, path

from linli.grid_events.web import resident as grid
from linli.portal.web import resident, staff
from linli.service_desk.web import resident as desk
from linli.service_desk.web import staff as desk_staff

app_name = "portal"
urlpatterns = [
    path("", resident.home, name="home"),
    path("elder-mode", resident.elder_mode, name="elder-mode"),
    path("staff/login/", staff.staff_login, name="staff-login"),
    path("staff/logout/", staff.staff_logout, name="staff-logout"),
    path("staff/", staff.staff_home, name="staff-home"),
    path("staff/org/", staff.staff_org, name="staff-org"),
    path("staff/org/<str:code>/", staff.staff_org, name="staff-org-unit"),
    path("staff/audit/", staff.staff_audit, name="staff-audit"),
    path("staff/residents/", include("linli.residents.web.urls")),
    path("staff/desk/", include("linli.service_desk.web.urls")),
    path("staff/grid/", include("linli.grid_events.web.urls")),
    path("staff/facilities/", include("linli.facilities.web.urls")),
    path("login/", resident.resident_login, name="login"),
    path("logout/", resident.resident_logout, name="logout"),
    path("services/", desk.catalogue, name="services"),
    path("services/<str:code>/", desk.item_guide, name="service"),
    path("services/<str:code>/apply/", desk.apply, name="service-apply"),
    path("my/cases/", desk.cases, name="my-cases"),
    path("my/cases/<uuid:public_id>/", desk.case_page, name="my-case"),
    path("my/cases/<uuid:public_id>/step/<str:action>/", desk.case_step, name="my-case-step"),
    path("my/cases/<uuid:public_id>/materials/", desk.material_add, name="my-case-material"),
    path("cases/<uuid:public_id>/", desk_staff.case_redirect, name="case-link"),
    path("rate/<str:token>/", desk.rate_by_link, name="rate"),
    path("report/", grid.report, name="report"),
    path("my/events/", grid.my_events, name="my-events"),
    path("my/events/<str:number>/", grid.my_event, name="my-event"),
    path("my/events/<str:number>/rate/", grid.rate, name="my-event-rate"),
]
