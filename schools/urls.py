from django.urls import path

from schools.views import ctf, directory, la, returns, reviews

app_name = "schools"

urlpatterns = [
    path("school/", returns.home, name="home"),
    path("school/switch/", returns.switch_school, name="switch_school"),
    path("school/returns/", returns.return_list, name="return_list"),
    path("school/returns/new/<slug:kind>/", returns.return_start, name="return_start"),
    path("school/returns/new/<slug:kind>/check/", returns.return_check, name="return_check"),
    path("school/returns/<str:reference>/", returns.return_detail, name="return_detail"),
    path(
        "school/returns/<str:reference>/review/", reviews.timetable_review, name="timetable_review"
    ),
    path(
        "school/returns/<str:reference>/s2s-uploaded/",
        returns.return_s2s_confirm,
        name="return_s2s_confirm",
    ),
    path(
        "school/returns/<str:reference>/submitted/",
        returns.return_submitted,
        name="return_submitted",
    ),
    path("school/ctf/", ctf.ctf_upload, name="ctf_upload"),
    path("school/ctf/pupils/", ctf.ctf_pupils, name="ctf_pupils"),
    path("school/ctf/start/", ctf.ctf_start, name="ctf_start"),
    path("school/ctf/forget/", ctf.ctf_forget, name="ctf_forget"),
    path("schools/search/", directory.school_search, name="school_search"),
    path("returns/", la.return_list, name="la_returns"),
    path("returns/<str:reference>/", la.return_detail, name="la_return_detail"),
]
