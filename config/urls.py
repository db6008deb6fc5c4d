from django.contrib import admin
from django.urls import include, path

from cme import views, views_auth, views_outbox, views_sso
from config.views import home

urlpatterns = [
    path("", home, name="home"),
    path("sign-in/", views.sign_in, name="login"),
    path("sign-in/council/", views_sso.sso_start, name="sso_start"),
    path("sign-in/council/callback/", views_sso.sso_callback, name="sso_callback"),
    path("sign-out/", views_sso.sign_out, name="logout"),
    path("two-factor/", views_auth.two_factor_verify, name="two_factor_verify"),
    path("two-factor/set-up/", views_auth.two_factor_setup, name="two_factor_setup"),
    path(
        "two-factor/backup-codes/",
        views_auth.two_factor_backup_codes,
        name="two_factor_backup_codes",
    ),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_done, name="password_reset_done"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views.password_reset_complete, name="password_reset_complete"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("emails/not-delivered/", views_outbox.emails_not_delivered, name="emails_not_delivered"),
    path("emails/sent/", views_outbox.emails_sent, name="emails_sent"),
    path("emails/<int:pk>/try-again/", views_outbox.emails_retry, name="emails_retry"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("privacy/", views.privacy, name="privacy"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", include("casework.urls_audit")),
    path("", include("schools.urls")),
    path("", include("referrals.urls")),
    path("", include("casework.urls_triage")),
    path("", include("casework.urls_cases")),
    path("", include("transfers.urls")),
    path("not-in-school/", include("cnis.urls")),
    path("", include("ehe.urls")),
    path("", include("reports.urls_dashboard")),
    path("", include("reports.urls_runs")),
    path("admin/", admin.site.urls),
]

handler403 = "cme.errors.forbidden"
handler404 = "cme.errors.not_found"
handler500 = "cme.errors.server_error"
