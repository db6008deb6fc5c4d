from django.urls import URLPattern, path

from reports.views import dashboard

app_name = "dashboard"
urlpatterns: list[URLPattern] = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("dashboard/data-pack.csv", dashboard.data_pack, name="data_pack"),
]
