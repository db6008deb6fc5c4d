from django.urls import URLPattern, path

from ehe import views, views_notices

app_name = "ehe"

urlpatterns: list[URLPattern] = [
    path("home-education/", views.home, name="home"),
    path("ehe-register/", views.register, name="register"),
    path("home-education/add/", views.add, name="add"),
    path("home-education/<int:entry_id>/", views.detail, name="detail"),
    path("home-education/<int:entry_id>/contact/", views.contact_new, name="contact_new"),
    path("home-education/<int:entry_id>/view/", views.suitability_new, name="suitability_new"),
    path("home-education/<int:entry_id>/parent/", views.parent_new, name="parent_new"),
    path("home-education/<int:entry_id>/end/", views.end, name="end"),
    path("home-education/<int:entry_id>/open/", views.open_restricted, name="open_restricted"),
    path(
        "home-education/<int:entry_id>/notice/<str:notice_kind>/",
        views_notices.notice_new,
        name="notice_new",
    ),
    path(
        "home-education/notices/<int:notice_id>/answer/",
        views_notices.notice_answer,
        name="notice_answer",
    ),
    path(
        "home-education/notices/<int:notice_id>/letter.pdf",
        views_notices.notice_download,
        name="notice_pdf",
    ),
]
