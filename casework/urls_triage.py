from django.urls import URLPattern, path

from casework.views import triage

app_name = "triage"
urlpatterns: list[URLPattern] = [
    path("triage/", triage.triage_list, name="list"),
    path("triage/<str:reference>/", triage.referral_detail, name="detail"),
    path("triage/<str:reference>/accept/", triage.referral_accept_view, name="accept"),
    path("triage/<str:reference>/not-cme/", triage.referral_not_cme_view, name="not_cme"),
    path("triage/<str:reference>/duplicate/", triage.referral_duplicate_view, name="duplicate"),
]
