from django.urls import include, path

from linli.portal.web import resident, staff

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
]
