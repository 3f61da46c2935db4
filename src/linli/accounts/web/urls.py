"""Mounted inside the portal's namespace (portal:password-change, portal:security, …)."""

from django.urls import path

from linli.accounts.web import views

account_urlpatterns = [
    path("account/password/", views.password_change_page, name="password-change"),
    path("account/second-factor/", views.second_factor_page, name="second-factor"),
    path("account/second-factor/setup/", views.second_factor_setup_page, name="second-factor-setup"),
    path("account/second-factor/recovery-codes/", views.recovery_codes_page, name="recovery-codes"),
    path("staff/security/", views.security_page, name="security"),
    path("staff/security/unlock/", views.unlock, name="security-unlock"),
    path("staff/security/second-factor-reset/", views.second_factor_reset_view, name="security-second-factor-reset"),
]
