from django.urls import URLPattern, URLResolver, include, path

from casework.views import cases, children, register

app_name = "cases"

#: Under cases/<reference>/: the case page's sections and its action pages.
case_patterns: list[URLPattern] = [
    path("", cases.case_detail, name="detail"),
    path("enquiries/", cases.case_enquiries, name="enquiries"),
    path("notes/", cases.case_notes, name="notes"),
    path("enquiries/new/", cases.enquiry_new, name="enquiry_new"),
    path("referral/", cases.case_referral, name="referral"),
    path("returns/", cases.case_returns, name="returns"),
    path("allocate/", cases.allocate, name="allocate"),
    path("pick-up/", cases.pick_up, name="pick_up"),
    path("notes/new/", cases.note_new, name="note_new"),
    path("investigation/complete/", cases.investigation_complete, name="investigation_complete"),
    path("category/", cases.category_change, name="category"),
    path("escalate/", cases.escalate, name="escalate"),
    path("close/", cases.close, name="close"),
    path("reopen/", cases.reopen, name="reopen"),
]
#: Under children/<child_id>/: the child record, its chronology, restriction and merging.
child_patterns: list[URLPattern] = [
    path("", children.child_detail, name="child"),
    path("chronology/", cases.chronology, name="chronology"),
    path("open/", children.open_restricted, name="open_restricted"),
    path("restrict/", children.restrict, name="restrict"),
    path("merge/", children.merge_search, name="merge_search"),
    path("merge/<int:other_id>/", children.merge_confirm, name="merge_confirm"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("register/", register.register, name="register"),
    path("register/export.csv", register.register_csv, name="register_csv"),
    path("register/export.xlsx", register.register_xlsx, name="register_xlsx"),
    path("my-cases/", register.my_cases, name="my_cases"),
    path("team/", register.team, name="team"),
    path("cases/<str:reference>/", include(case_patterns)),
    path("children/<int:child_id>/", include(child_patterns)),
    path("merges/<int:merge_id>/undo/", children.merge_undo, name="merge_undo"),
]
