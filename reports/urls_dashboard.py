from django.urls import URLPattern, path

from reports.views import census, dashboard

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/data-pack.csv", dashboard.data_pack, name="data_pack"),
    path("dashboard/cme-return/", census.cme_return, name="cme_return"),
    path("dashboard/cme-return/return.csv", census.cme_return_csv, name="cme_return_csv"),
    path("dashboard/cme-return/submit/", census.cme_return_submit, name="cme_return_submit"),
    path(
        "dashboard/cme-return/submissions/<int:submission_id>/",
        census.cme_submission,
        name="cme_submission",
    ),
]
