from django.urls import path

from cnis.views import consent

app_name = "cnis"

urlpatterns = [
    path("consent-requests/", consent.consent_list, name="consent_list"),
    path("consent-requests/<int:consent_id>/", consent.consent_detail, name="consent_detail"),
]
