from django.urls import URLPattern, URLResolver, include, path

from casework.views import cases, children, register, search

app_name = "cases"

_register = [
    path("", register.register, name="register"),
    path("export.csv", register.register_csv, name="register_csv"),
    path("export.xlsx", register.register_xlsx, name="register_xlsx"),
]

# The case page's sections and its action pages: /cases/<reference>/...
_case = [
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
    path("cme-details/", cases.cme_details, name="cme_details"),
    path("escalate/", cases.escalate, name="escalate"),
    path("close/", cases.close, name="close"),
    path("reopen/", cases.reopen, name="reopen"),
]

# The child record, its chronology, restriction and merging: /children/<child_id>/...
_child = [
    path("", children.child_detail, name="child"),
    path("chronology/", cases.chronology, name="chronology"),
    path("open/", children.open_restricted, name="open_restricted"),
    path("restrict/", children.restrict, name="restrict"),
    path("merge/", children.merge_search, name="merge_search"),
    path("merge/<int:other_id>/", children.merge_confirm, name="merge_confirm"),
]

urlpatterns: list[URLPattern | URLResolver] = [
    path("register/", include(_register)),
    path("my-cases/", register.my_cases, name="my_cases"),
    path("team/", register.team, name="team"),
    path("cases/<str:reference>/", include(_case)),
    # Find a child (the header's link): the form, and the results of the last search.
    path("children/find/", search.find_child, name="find_child"),
    path("children/find/results/", search.find_child_results, name="find_child_results"),
    path("children/<int:child_id>/", include(_child)),
    path("merges/<int:merge_id>/undo/", children.merge_undo, name="merge_undo"),
]
