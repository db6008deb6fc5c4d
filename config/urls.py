from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path

from cme import views, views_auth, views_outbox, views_sso
from config.views import home

_sign_in = [
    path("", views.sign_in, name="login"),
    path("council/", views_sso.sso_start, name="sso_start"),
    path("council/callback/", views_sso.sso_callback, name="sso_callback"),
]

_two_factor = [
    path("", views_auth.two_factor_verify, name="two_factor_verify"),
    path("set-up/", views_auth.two_factor_setup, name="two_factor_setup"),
    path("backup-codes/", views_auth.two_factor_backup_codes, name="two_factor_backup_codes"),
]

_password_reset = [
    path("", views.password_reset, name="password_reset"),
    path("sent/", views.password_reset_done, name="password_reset_done"),
    path("<uidb64>/<token>/", views.password_reset_confirm, name="password_reset_confirm"),
    path("done/", views.password_reset_complete, name="password_reset_complete"),
]

_emails = [
    path("not-delivered/", views_outbox.emails_not_delivered, name="emails_not_delivered"),
    path("sent/", views_outbox.emails_sent, name="emails_sent"),
    path("<int:pk>/try-again/", views_outbox.emails_retry, name="emails_retry"),
]

# The apps' URL modules: each sets its own prefixes and its namespace (app_name).
_APP_URLS = (
    "schools.urls",
    "referrals.urls",
    "casework.urls_triage",
    "casework.urls_cases",
    "transfers.urls",
    "ehe.urls",
    "reports.urls",
)

urlpatterns: list[URLPattern | URLResolver] = [
    path("", home, name="home"),
    path("sign-in/", include(_sign_in)),
    path("sign-out/", views_sso.sign_out, name="logout"),
    path("two-factor/", include(_two_factor)),
    path("password-reset/", include(_password_reset)),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("emails/", include(_emails)),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", include("casework.urls_audit")),
    path("not-in-school/", include("cnis.urls")),
    *(path("", include(module)) for module in _APP_URLS),
    path("admin/", admin.site.urls),
]

handler403 = "cme.errors.forbidden"
handler404 = "cme.errors.not_found"
handler500 = "cme.errors.server_error"
