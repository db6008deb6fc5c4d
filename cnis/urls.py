from django.urls import path

from cnis.views import consent, register

app_name = "cnis"

urlpatterns = [
    path("", register.register, name="register"),
    path("register.csv", register.register_csv, name="register_csv"),
    path("register-a-child/", register.register_new, name="register_new"),
    path("<int:entry_id>/", register.entry, name="entry"),
    path("<int:entry_id>/<slug:what>/", register.entry_action, name="entry_action"),
    path(
        "<int:entry_id>/providers/<int:provider_id>/request/",
        register.provider_request,
        name="provider_request",
    ),
    path(
        "<int:entry_id>/providers/<int:provider_id>/answered/",
        register.provider_answered,
        name="provider_answered",
    ),
    path("consent-requests/", consent.consent_list, name="consent_list"),
    path("consent-requests/<int:consent_id>/", consent.consent_detail, name="consent_detail"),
]
