from django.urls import path

from casework.views import audit

app_name = "audit"

# Read-only: there is no URL that changes or deletes an audit row.
urlpatterns = [
    path("", audit.audit_search, name="search"),
    path("children/<int:child_id>/", audit.child_audit, name="child"),
]
