"""Staff pages of social assistance, one module per stage under `web/`."""

from django.urls import path

from linli.welfare.web import applications, relief, roll, rules

app_name = "welfare"
urlpatterns: list = []

# roll: the roll, reviews, payroll
urlpatterns += [
    path("roll/", roll.roll_home, name="roll"),
    path("roll/reviews/", roll.reviews, name="roll-reviews"),
    path("roll/reviews/compute/", roll.reviews_recompute, name="roll-recompute"),
    path("roll/reviews/confirm-unchanged/", roll.reviews_confirm_unchanged, name="roll-confirm-unchanged"),
    path("roll/reviews/<uuid:public_id>/confirm/", roll.review_confirm, name="roll-review-confirm"),
    path("roll/<uuid:public_id>/", roll.recipient, name="roll-recipient"),
    path("roll/<uuid:public_id>/facts/", roll.recipient_facts, name="roll-facts"),
    path("roll/<uuid:public_id>/redetermine/", roll.recipient_redetermine, name="roll-redetermine"),
    path("roll/<uuid:public_id>/stop/", roll.recipient_stop, name="roll-stop"),
    path("roll/<uuid:public_id>/account/", roll.recipient_account, name="roll-account"),
    path("roll/<uuid:public_id>/reveal/", roll.recipient_reveal, name="roll-reveal"),
    path("roll/<uuid:public_id>/notice/<uuid:change_id>/", roll.change_notice, name="roll-notice"),
    path("payroll/", roll.payrolls, name="payrolls"),
    path("payroll/generate/", roll.payroll_generate, name="payroll-generate"),
    path("payroll/<uuid:public_id>/", roll.payroll, name="payroll"),
    path("payroll/<uuid:public_id>/approve/", roll.payroll_approve, name="payroll-approve"),
    path("payroll/<uuid:public_id>/correct/", roll.payroll_correct, name="payroll-correct"),
    path("payroll/<uuid:public_id>/export/", roll.payroll_export, name="payroll-export"),
]

# relief: temporary assistance, zero-employment households, posts, job needs, figures
urlpatterns += [
    path("relief/", relief.home, name="relief"),
    path("relief/new/", relief.new, name="relief-new"),
    path("relief/<uuid:public_id>/", relief.item, name="relief-item"),
    path("relief/<uuid:public_id>/step/<str:action>/", relief.item_step, name="relief-step"),
    path("relief/<uuid:public_id>/describe/", relief.item_describe, name="relief-describe"),
    path("employment/", relief.zero, name="zero"),
    path("employment/search/", relief.zero_search, name="zero-search"),
    path("employment/<uuid:public_id>/", relief.case, name="zero-case"),
    path("employment/<uuid:public_id>/follow/", relief.case_follow, name="zero-follow"),
    path("employment/<uuid:public_id>/close/", relief.case_close, name="zero-close"),
    path("employment/<uuid:public_id>/place/", relief.case_place, name="zero-place"),
    path("employment/figures/", relief.figures, name="zero-figures"),
    path("posts/", relief.posts, name="posts"),
    path("posts/<uuid:public_id>/", relief.post, name="post"),
    path("posts/<uuid:public_id>/place/", relief.post_place, name="post-place"),
    path("placements/<uuid:public_id>/end/", relief.placement_stop, name="placement-end"),
    path("jobs/", relief.jobs, name="jobs"),
    path("jobs/<uuid:public_id>/close/", relief.job_close, name="job-close"),
]

# applications: from the desk to the county's decision
urlpatterns += [
    path("applications/", applications.home, name="applications"),
    path("applications/checks/import/", applications.check_import, name="check-import"),
    path("applications/notices/", applications.notice_home, name="notices"),
    path("applications/notices/<str:community_path>/", applications.notice_community, name="notice-board"),
    path("applications/notices/<str:community_path>/print/", applications.notice_print, name="notice-print"),
    path("applications/notices/<str:community_path>/notice.pdf", applications.notice_board_pdf_view, name="notice-pdf"),
    path("applications/<uuid:public_id>/", applications.application, name="application"),
    path("applications/<uuid:public_id>/facts/", applications.facts_form, name="application-facts"),
    path("applications/<uuid:public_id>/survey/", applications.survey_form, name="application-survey"),
    path("applications/<uuid:public_id>/step/<str:action>/", applications.application_step, name="application-step"),
    path(
        "applications/<uuid:public_id>/objections/<uuid:objection_id>/answer/",
        applications.objection_answer_view,
        name="objection-answer",
    ),
    path("applications/<uuid:public_id>/notice.pdf", applications.notice_pdf, name="application-pdf"),
]

# rules: the parameters, their history, the city's changes, the trial calculator
urlpatterns += [
    path("rules/", rules.home, name="rules"),
    path("rules/trial/", rules.trial, name="rules-trial"),
    path("rules/p/<str:name>/", rules.parameter, name="rules-parameter"),
]
