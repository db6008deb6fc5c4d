from django.urls import URLPattern, path

from transfers import views, views_download

app_name = "transfers"

urlpatterns: list[URLPattern] = [
    path("transfers/", views.transfer_list, name="list"),
    path("transfers/received/upload/", views.received_upload, name="received_upload"),
    # The other LA's download page: the token is the whole authority (ADR 015).
    path("transfers/download/<str:token>/", views_download.download, name="download"),
    path("cases/<str:case_reference>/transfers/", views.case_transfers, name="case"),
    path("cases/<str:case_reference>/transfers/new/", views.transfer_new, name="new"),
    path("cases/<str:case_reference>/transfers/check/", views.transfer_check, name="check"),
    path("transfers/<str:reference>/", views.transfer_detail, name="detail"),
    path("transfers/<str:reference>/transfer.xml", views.transfer_ctf, name="ctf"),
    path("transfers/<str:reference>/summary.pdf", views.transfer_pdf, name="pdf"),
    path("transfers/<str:reference>/answer/", views.transfer_answer, name="answer"),
]
