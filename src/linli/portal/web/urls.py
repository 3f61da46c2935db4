from django.urls import include, path

from linli.accounts.web.urls import account_urlpatterns
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
    path("staff/inbox/", staff.staff_inbox, name="staff-inbox"),
    path("staff/inbox/badge/", staff.inbox_badge, name="inbox-badge"),
    path("staff/inbox/read-all/", staff.inbox_read_all, name="inbox-read-all"),
    path("staff/inbox/<int:pk>/", staff.staff_inbox_open, name="inbox-open"),
    path("staff/search/", staff.staff_search, name="staff-search"),
    path("staff/org/", staff.staff_org, name="staff-org"),
    path("staff/org/<str:code>/", staff.staff_org, name="staff-org-unit"),
    path("staff/audit/", staff.staff_audit, name="staff-audit"),
    path("staff/residents/", include("linli.residents.web.urls")),
    path("staff/desk/", include("linli.service_desk.web.urls")),
    path("staff/workdays/", include("linli.workdays.web.urls")),
    path("staff/grid/", include("linli.grid_events.web.urls")),
    path("staff/facilities/", include("linli.facilities.web.urls")),
    path("login/", resident.resident_login, name="login"),
    path("logout/", resident.resident_logout, name="logout"),
    path("services/", desk.catalogue, name="services"),
    path("services/<str:code>/", desk.item_guide, name="service"),
    path("services/<str:code>/apply/", desk.apply, name="service-apply"),
    path("services/<str:code>/forms/<int:number>/", desk.item_form, name="service-form"),
    path("my/inbox/", resident.inbox, name="my-inbox"),
    path("my/inbox/<int:pk>/", resident.inbox_message, name="my-inbox-open"),
    path("my/inbox/read-all/", staff.inbox_read_all, name="my-inbox-read-all"),
    path("my/cases/", desk.cases, name="my-cases"),
    path("my/cases/<uuid:public_id>/", desk.case_page, name="my-case"),
    path("my/cases/<uuid:public_id>/step/<str:action>/", desk.case_step, name="my-case-step"),
    path("my/cases/<uuid:public_id>/materials/", desk.material_add, name="my-case-material"),
    path("my/cases/<uuid:public_id>/withdraw/", desk.withdraw, name="my-case-withdraw"),
    path("my/cases/<uuid:public_id>/again/", desk.apply_again, name="my-case-again"),
    path("cases/<uuid:public_id>/", desk_staff.case_redirect, name="case-link"),
    *account_urlpatterns,
    path("rate/<str:token>/", desk.rate_by_link, name="rate"),
    path("report/", grid.report, name="report"),
    path("my/events/", grid.my_events, name="my-events"),
    path("my/events/<str:number>/", grid.my_event, name="my-event"),
    path("my/events/<str:number>/rate/", grid.rate, name="my-event-rate"),
    path("my/events/<str:number>/photos/<uuid:photo_id>/", grid.photo_file, name="my-event-photo"),
]
