from django.urls import URLPattern, path

from casework.views import cases, children, register

app_name = "cases"

urlpatterns: list[URLPattern] = [
    path("register/", register.register, name="register"),
    path("register/export.csv", register.register_csv, name="register_csv"),
    path("register/export.xlsx", register.register_xlsx, name="register_xlsx"),
    path("my-cases/", register.my_cases, name="my_cases"),
    path("team/", register.team, name="team"),
    path("cases/<str:reference>/", cases.case_detail, name="detail"),
    path("cases/<str:reference>/enquiries/", cases.case_enquiries, name="enquiries"),
    path("cases/<str:reference>/notes/", cases.case_notes, name="notes"),
    path("cases/<str:reference>/enquiries/new/", cases.enquiry_new, name="enquiry_new"),
    path("cases/<str:reference>/referral/", cases.case_referral, name="referral"),
    path("cases/<str:reference>/returns/", cases.case_returns, name="returns"),
    path("cases/<str:reference>/allocate/", cases.allocate, name="allocate"),
    path("cases/<str:reference>/pick-up/", cases.pick_up, name="pick_up"),
    path("cases/<str:reference>/notes/new/", cases.note_new, name="note_new"),
    path(
        "cases/<str:reference>/investigation/complete/",
        cases.investigation_complete,
        name="investigation_complete",
    ),
    path("cases/<str:reference>/category/", cases.category_change, name="category"),
    path("cases/<str:reference>/escalate/", cases.escalate, name="escalate"),
    path("cases/<str:reference>/close/", cases.close, name="close"),
    path("cases/<str:reference>/reopen/", cases.reopen, name="reopen"),
    path("children/<int:child_id>/", children.child_detail, name="child"),
    path("children/<int:child_id>/chronology/", cases.chronology, name="chronology"),
    path("children/<int:child_id>/open/", children.open_restricted, name="open_restricted"),
    path("children/<int:child_id>/restrict/", children.restrict, name="restrict"),
    path("children/<int:child_id>/merge/", children.merge_search, name="merge_search"),
    path(
        "children/<int:child_id>/merge/<int:other_id>/",
        children.merge_confirm,
        name="merge_confirm",
    ),
    path("merges/<int:merge_id>/undo/", children.merge_undo, name="merge_undo"),
]
