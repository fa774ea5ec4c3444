from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="sign-in"),
    path("sign-in/code/", views.sign_in_code, name="sign-in-code"),
    path("sign-out/", views.SignOutView.as_view(), name="sign-out"),
    path("password/", views.password, name="password"),
    path("password/reset/", views.PasswordResetView.as_view(), name="password-reset"),
    path("password/reset/sent/", views.PasswordResetSentView.as_view(), name="password-reset-sent"),
    path(
        "password/reset/done/",
        views.PasswordResetCompleteView.as_view(),
        name="password-reset-complete",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password-reset-confirm",
    ),
    path("second-factor/", views.second_factor_page, name="second-factor"),
    path("second-factor/begin/", views.second_factor_begin, name="second-factor-begin"),
    path("second-factor/confirm/", views.second_factor_confirm, name="second-factor-confirm"),
    path("second-factor/recovery-codes/", views.recovery_codes_renew, name="recovery-codes"),
    path("second-factor/off/", views.second_factor_off, name="second-factor-off"),
    path("delegation/", views.delegation, name="delegation"),
    path("delegation/people/", views.delegation_people, name="delegation-people"),
    path(
        "delegation/people/<int:account_id>/remove/",
        views.delegate_remove,
        name="delegate-remove",
    ),
    path(
        "delegation/people/<int:account_id>/restore/",
        views.delegate_restore,
        name="delegate-restore",
    ),
    path("tokens/", views.token_create, name="token-create"),
    path("tokens/<int:token_id>/revoke/", views.token_revoke, name="token-revoke"),
]
