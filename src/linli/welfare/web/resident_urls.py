from django.urls import path

from linli.welfare.web import resident

app_name = "welfare-resident"
urlpatterns = [
    path("jobs/", resident.jobs, name="jobs"),
]
