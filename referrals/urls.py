from django.urls import URLPattern, path

from referrals.views import intake

app_name = "referrals"
urlpatterns: list[URLPattern] = [
    # The public door: no sign-in, rate limited.
    path("referral/", intake.public_start, name="public_start"),
    path("referral/check/", intake.public_check, name="public_check"),
    path("referral/sent/<str:reference>/", intake.public_sent, name="public_sent"),
    # The signed-in door: school staff and LA users.
    path("referrals/new/", intake.new, name="new"),
    path("referrals/new/check/", intake.new_check, name="new_check"),
    path("referrals/new/sent/<str:reference>/", intake.new_sent, name="new_sent"),
    path("referrals/mine/", intake.mine, name="mine"),
]
