from django.urls import URLPattern, URLResolver, include, path

from reports.views import census, dashboard, runs

# The CME return to the DfE: /dashboard/cme-return/...
_cme_return = [
    path("", census.cme_return, name="cme_return"),
    path("return.csv", census.cme_return_csv, name="cme_return_csv"),
    path("submit/", census.cme_return_submit, name="cme_return_submit"),
    path("submissions/<int:submission_id>/", census.cme_submission, name="cme_submission"),
]

_dashboard: list[URLPattern | URLResolver] = [
    path("", dashboard.dashboard, name="dashboard"),
    path("data-pack.csv", dashboard.data_pack, name="data_pack"),
    path("cme-return/", include(_cme_return)),
]

# One report run: /reports/<run_id>/...
_run = [
    path("try-again/", runs.retry, name="retry"),
    path("status.json", runs.run_status, name="run_status"),
    path("download.pdf", runs.download_pdf, name="download_pdf"),
    path("download.csv", runs.download_csv, name="download_csv"),
]

_runs: list[URLPattern | URLResolver] = [
    path("", runs.runs, name="runs"),
    path("<int:run_id>/", include(_run)),
]

# Two namespaces: the dashboard (with the CME return) and the report runs.
urlpatterns: list[URLPattern | URLResolver] = [
    path("dashboard/", include((_dashboard, "dashboard"))),
    path("reports/", include((_runs, "reports"))),
]
