from django.urls import path

from linli.volunteers.web import resident

app_name = "volunteer"
urlpatterns = [
    path("", resident.home, name="home"),
    path("register/", resident.register, name="register"),
    path("activities/", resident.activities, name="activities"),
    path("activities/<uuid:public_id>/", resident.activity, name="activity"),
    path("activities/<uuid:public_id>/sign-up/", resident.sign_up, name="sign-up"),
    path("activities/<uuid:public_id>/check/", resident.check_by_position, name="check-position"),
    path("sign-ups/<uuid:public_id>/cancel/", resident.cancel, name="cancel"),
    path("check/<str:token>/", resident.check_by_code, name="check"),
    path("report/", resident.report, name="report"),
    path("hours/", resident.my_hours, name="hours"),
]
