from django.urls import URLPattern, URLResolver, include, path

from cnis.views import consent, entry, register

app_name = "cnis"

# One entry's pages: /not-in-school/<entry_id>/...
_entry = [
    path("", entry.entry, name="entry"),
    path("<slug:what>/", entry.entry_action, name="entry_action"),
    path("providers/<int:provider_id>/request/", entry.provider_request, name="provider_request"),
    path(
        "providers/<int:provider_id>/answered/", entry.provider_answered, name="provider_answered"
    ),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("", register.register, name="register"),
    path("register.csv", register.register_csv, name="register_csv"),
    path("register-a-child/", register.register_new, name="register_new"),
    path("<int:entry_id>/", include(_entry)),
    path("consent-requests/", consent.consent_list, name="consent_list"),
    path("consent-requests/<int:consent_id>/", consent.consent_detail, name="consent_detail"),
]
