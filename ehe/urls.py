from django.urls import URLPattern, URLResolver, include, path

from ehe import views, views_notices

app_name = "ehe"

# One child's home education: /home-education/<entry_id>/...
_entry = [
    path("", views.detail, name="detail"),
    path("contact/", views.contact_new, name="contact_new"),
    path("view/", views.suitability_new, name="suitability_new"),
    path("parent/", views.parent_new, name="parent_new"),
    path("end/", views.end, name="end"),
    path("open/", views.open_restricted, name="open_restricted"),
    path("notice/<str:notice_kind>/", views_notices.notice_new, name="notice_new"),
]

# One notice served: /home-education/notices/<notice_id>/...
_notice = [
    path("answer/", views_notices.notice_answer, name="notice_answer"),
    path("letter.pdf", views_notices.notice_download, name="notice_pdf"),
]

_home_education: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("add/", views.add, name="add"),
    path("<int:entry_id>/", include(_entry)),
    path("notices/<int:notice_id>/", include(_notice)),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("home-education/", include(_home_education)),
    path("ehe-register/", views.register, name="register"),
]
