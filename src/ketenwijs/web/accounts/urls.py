from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from ketenwijs.web.accounts import views
from ketenwijs.web.core.ratelimit import rate_limited

# Guessing passwords, codes or mail addresses is slowed per client address on top of django-axes,
# which locks one username after repeated failures (settings.AXES_*).
login_limited = rate_limited("login", methods=("POST",))

app_name = "accounts"

urlpatterns = [
    path("login/", login_limited(views.LoginView.as_view()), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("verify/", login_limited(views.verify), name="verify"),
    path("two-step/", views.setup_totp, name="setup_totp"),
    path("account/", views.account, name="account"),
    path("password/change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/reset/",
        login_limited(
            auth_views.PasswordResetView.as_view(
                template_name="accounts/password_reset.html",
                email_template_name="registration/password_reset_email.txt",
                subject_template_name="registration/password_reset_subject.txt",
                success_url=reverse_lazy("accounts:password_reset_done"),
            )
        ),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/password_reset_complete.html"
        ),
        name="password_reset_complete",
    ),
    path("manage/", views.manage_index, name="manage"),
    path("manage/organisations/", views.organisation_list, name="organisation_list"),
    path("manage/organisations/<int:org_id>/users/", views.user_list, name="user_list"),
    path(
        "manage/organisations/<int:org_id>/users/<int:user_id>/",
        views.user_detail,
        name="user_detail",
    ),
    path(
        "manage/organisations/<int:org_id>/users/<int:user_id>/reset-two-step/",
        views.user_reset_second_factor,
        name="user_reset_second_factor",
    ),
    path(
        "manage/organisations/<int:org_id>/users/<int:user_id>/send-password-link/",
        views.user_send_password_link,
        name="user_send_password_link",
    ),
    path(
        "manage/organisations/<int:org_id>/pending/<int:pending_id>/",
        views.pending_decide,
        name="pending_decide",
    ),
    path("manage/organisations/<int:org_id>/events/", views.admin_events, name="admin_events"),
    path(
        "manage/organisations/<int:org_id>/help/", views.organisation_help, name="organisation_help"
    ),
]
