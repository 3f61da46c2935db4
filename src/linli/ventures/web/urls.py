from django.urls import path

from linli.ventures.web import staff

app_name = "ventures"
urlpatterns = [
    path("", staff.home, name="home"),
    path("calls/new/", staff.call_new, name="call-new"),
    path("calls/<uuid:public_id>/", staff.call_page, name="call"),
    path("calls/<uuid:public_id>/steps/<slug:action>/", staff.call_step, name="call-step"),
    path("calls/<uuid:public_id>/apply/", staff.application_new, name="apply"),
    path("applications/<uuid:public_id>/", staff.application_page, name="application"),
    path("applications/<uuid:public_id>/edit/", staff.application_edit, name="application-edit"),
    path("applications/<uuid:public_id>/submit/", staff.application_submit_view, name="submit"),
    path("applications/<uuid:public_id>/withdraw/", staff.application_withdraw_view, name="withdraw"),
    path("applications/<uuid:public_id>/review/", staff.review_page, name="review"),
    path("applications/<uuid:public_id>/decide/", staff.application_decide_view, name="decide"),
    path("projects/", staff.projects, name="projects"),
    path("projects/<uuid:public_id>/", staff.project_page, name="project"),
    path("projects/<uuid:public_id>/milestones/", staff.milestone_new, name="milestone-new"),
    path("projects/<uuid:public_id>/milestones/<int:pk>/report/", staff.milestone_report_view, name="milestone-report"),
    path("projects/<uuid:public_id>/milestones/<int:pk>/accept/", staff.milestone_accept_view, name="milestone-accept"),
    path("projects/<uuid:public_id>/spending/", staff.spending_new, name="spending-new"),
    path("projects/<uuid:public_id>/evaluation/", staff.evaluate, name="evaluate"),
    path("projects/<uuid:public_id>/contract/", staff.contract_new, name="contract-new"),
    path("files/<uuid:public_id>/", staff.file_download, name="file"),
    path("mine/", staff.mine, name="mine"),
    path("figures/", staff.figures_page, name="figures"),
]
