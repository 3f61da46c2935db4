from django.urls import path
from django.views.generic import RedirectView

from linli.service_desk.web import staff

app_name = "desk"
urlpatterns = [
    path("", staff.queues, name="queues"),
    path("intake/", staff.intake, name="intake"),
    path("intake/item/", staff.intake_item, name="intake-item"),
    path("intake/person/<uuid:public_id>/", staff.intake_for, name="intake-for"),
    path("cases/<uuid:public_id>/", staff.case_page, name="case"),
    path("cases/<uuid:public_id>/step/<str:action>/", staff.case_step, name="case-step"),
    path("cases/<uuid:public_id>/materials/", staff.material_add, name="material-add"),
    path("cases/<uuid:public_id>/materials/<uuid:material_id>/", staff.material_file, name="material"),
    path("cases/<uuid:public_id>/handoffs/", staff.handoff, name="handoff"),
    path("cases/<uuid:public_id>/export.<str:kind>", staff.case_export, name="export"),
    path("cases/<uuid:public_id>/receipt/", staff.receipt, name="receipt"),
    path("cases/<uuid:public_id>/receipt.pdf", staff.receipt_pdf_file, name="receipt-pdf"),
    path("rectifications/", staff.rectifications, name="rectifications"),
    path("rectifications/<int:pk>/<str:step>/", staff.rectification_step, name="rectification-step"),
    path("catalogue/", staff.catalogue, name="catalogue"),
    path("catalogue/new/", staff.catalogue_item, name="catalogue-new"),
    path("catalogue/<str:code>/", staff.catalogue_item, name="catalogue-item"),
    path("catalogue/<str:code>/active/", staff.catalogue_active, name="catalogue-active"),
    # the calendar page moved to the workdays app; old bookmarks follow it
    path("calendar/", RedirectView.as_view(pattern_name="portal:workdays:calendar", permanent=True)),
    path("calendar/<int:year>/", RedirectView.as_view(pattern_name="portal:workdays:calendar-year", permanent=True)),
    path("figures/", staff.figures, name="figures"),
    path("figures/<str:code>/", staff.figures, name="figures-unit"),
]
