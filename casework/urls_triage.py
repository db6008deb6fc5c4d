from django.urls import URLPattern, URLResolver, include, path

from casework.views import triage

app_name = "triage"

# One referral waiting for a decision: /triage/<reference>/...
_referral = [
    path("", triage.referral_detail, name="detail"),
    path("accept/", triage.referral_accept_view, name="accept"),
    path("not-cme/", triage.referral_not_cme_view, name="not_cme"),
    path("duplicate/", triage.referral_duplicate_view, name="duplicate"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("triage/", triage.triage_list, name="list"),
    path("triage/<str:reference>/", include(_referral)),
]
