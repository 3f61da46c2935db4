"""Staff pages of social assistance, one module per stage under `web/`."""

app_name = "welfare"
urlpatterns: list = []

# roll: the roll, reviews, payroll
from django.urls import path as roll_path  # noqa: E402

from linli.welfare.web import roll  # noqa: E402

urlpatterns += [
    roll_path("roll/", roll.roll_home, name="roll"),
    roll_path("roll/reviews/", roll.reviews, name="roll-reviews"),
    roll_path("roll/reviews/compute/", roll.reviews_recompute, name="roll-recompute"),
    roll_path("roll/reviews/confirm-unchanged/", roll.reviews_confirm_unchanged, name="roll-confirm-unchanged"),
    roll_path("roll/reviews/<uuid:public_id>/confirm/", roll.review_confirm, name="roll-review-confirm"),
    roll_path("roll/<uuid:public_id>/", roll.recipient, name="roll-recipient"),
    roll_path("roll/<uuid:public_id>/facts/", roll.recipient_facts, name="roll-facts"),
    roll_path("roll/<uuid:public_id>/redetermine/", roll.recipient_redetermine, name="roll-redetermine"),
    roll_path("roll/<uuid:public_id>/stop/", roll.recipient_stop, name="roll-stop"),
    roll_path("roll/<uuid:public_id>/account/", roll.recipient_account, name="roll-account"),
    roll_path("roll/<uuid:public_id>/reveal/", roll.recipient_reveal, name="roll-reveal"),
    roll_path("roll/<uuid:public_id>/notice/<uuid:change_id>/", roll.change_notice, name="roll-notice"),
    roll_path("payroll/", roll.payrolls, name="payrolls"),
    roll_path("payroll/generate/", roll.payroll_generate, name="payroll-generate"),
    roll_path("payroll/<uuid:public_id>/", roll.payroll, name="payroll"),
    roll_path("payroll/<uuid:public_id>/approve/", roll.payroll_approve, name="payroll-approve"),
    roll_path("payroll/<uuid:public_id>/correct/", roll.payroll_correct, name="payroll-correct"),
    roll_path("payroll/<uuid:public_id>/export/", roll.payroll_export, name="payroll-export"),
]
