from django.urls import URLPattern, path  # noqa: F401

urlpatterns: list[URLPattern] = []
app_name = "dashboard"
