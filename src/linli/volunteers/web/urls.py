from django.urls import path

from linli.volunteers.web import staff

app_name = "volunteers"
urlpatterns = [
    path("", staff.home, name="home"),
    path("people/", staff.volunteer_list, name="volunteers"),
    path("people/new/", staff.volunteer_new, name="volunteer-new"),
    path("people/import/", staff.volunteer_import, name="import"),
    path("people/import/template.xlsx", staff.volunteer_import_template, name="import-template"),
    path("people/<uuid:public_id>/", staff.volunteer_page, name="volunteer"),
    path("people/<uuid:public_id>/reveal/", staff.volunteer_reveal, name="volunteer-reveal"),
    path("people/<uuid:public_id>/proxy/", staff.volunteer_proxy, name="volunteer-proxy"),
    path("activities/", staff.activity_list, name="activities"),
    path("activities/new/", staff.activity_new, name="activity-new"),
    path("activities/<uuid:public_id>/", staff.activity_page, name="activity"),
    path("activities/<uuid:public_id>/qr/", staff.activity_qr, name="activity-qr"),
    path("activities/<uuid:public_id>/status/", staff.activity_status, name="activity-status"),
    path("activities/<uuid:public_id>/roster.xlsx", staff.activity_roster, name="activity-roster"),
    path("sign-ups/<uuid:public_id>/", staff.signup_decide, name="signup-decide"),
    path("hours/", staff.hours_queue, name="hours"),
    path("hours/<uuid:public_id>/decide/", staff.hours_decide, name="hours-decide"),
    path("hours/<uuid:public_id>/correct/", staff.hours_correct, name="hours-correct"),
    path("figures/", staff.figures, name="figures"),
]
