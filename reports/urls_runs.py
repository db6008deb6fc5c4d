from django.urls import URLPattern, path

from reports.views import runs

app_name = "reports"

urlpatterns: list[URLPattern] = [
    path("reports/", runs.runs, name="runs"),
    path("reports/<int:run_id>/try-again/", runs.retry, name="retry"),
    path("reports/<int:run_id>/status.json", runs.run_status, name="run_status"),
    path("reports/<int:run_id>/download.pdf", runs.download_pdf, name="download_pdf"),
    path("reports/<int:run_id>/download.csv", runs.download_csv, name="download_csv"),
]
