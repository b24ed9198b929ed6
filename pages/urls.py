"""The pages' addresses (backend/urls.py includes them at the root)."""

from django.urls import URLPattern, URLResolver, path

from pages.views import (
    account,
    account_data,
    account_password,
    account_sessions,
    coordinator,
    notifications,
    organization,
    organization_roles,
    public,
    volunteer,
)

app_name = "pages"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", public.home, name="home"),
    path("roles/", public.roles, name="roles"),
    path("roles/<int:pk>/", public.role_detail, name="role"),
    path("sign-in/", account.sign_in, name="sign-in"),
    path("sign-out/", account.sign_out, name="sign-out"),
    path("sign-up/", account.sign_up, name="sign-up"),
    path("sign-up/sent/", account.sign_up_sent, name="sign-up-sent"),
    path("password/reset/", account_password.password_reset, name="password-reset"),
    path("password/reset/sent/", account_password.password_reset_sent, name="password-reset-sent"),
    path(
        "password/reset/<str:uidb64>/<str:token>/",
        account_password.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("me/password/", account_password.password_change, name="password-change"),
    path("me/sign-ins/", account_sessions.sessions, name="sessions"),
    path(
        "me/sign-ins/<str:token_id>/sign-out/",
        account_sessions.token_sign_out,
        name="token-sign-out",
    ),
    path(
        "me/sign-ins/sign-out-all/",
        account_sessions.tokens_sign_out_all,
        name="tokens-sign-out-all",
    ),
    path("me/profile/", volunteer.profile, name="profile"),
    path("me/profile/<slug:step>/", volunteer.profile, name="profile-step"),
    path("me/roles/", volunteer.my_roles, name="my-roles"),
    path("me/roles/<int:pk>/accept/", volunteer.offer_accept, name="offer-accept"),
    path("me/roles/<int:pk>/decline/", volunteer.offer_decline, name="offer-decline"),
    path("me/roles/<int:pk>/hours/", volunteer.hours_log, name="hours-log"),
    path("me/calendar/", volunteer.calendar_link, name="calendar-link"),
    path("me/account/", account_data.account, name="account"),
    path("me/account/export.json", account_data.export, name="account-export"),
    path("me/account/erase/", account_data.erase, name="account-erase"),
    path("organizations/", organization.my_organizations, name="organizations"),
    path("organizations/new/", organization.organization_new, name="organization-new"),
    path("organizations/<int:pk>/", organization.organization_detail, name="organization"),
    path("organizations/<int:pk>/roles/new/", organization_roles.role_new, name="role-new"),
    path("my-roles/<int:pk>/edit/", organization_roles.role_edit, name="role-edit"),
    path("my-roles/<int:pk>/publish/", organization_roles.role_publish, name="role-publish"),
    path("my-roles/<int:pk>/close/", organization_roles.role_close, name="role-close"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/<int:pk>/read/",
        notifications.notification_read,
        name="notification-read",
    ),
    path("notifications/read/", notifications.notification_read_all, name="notifications-read-all"),
    path("review/", coordinator.review_queue, name="review"),
    path("review/act/", coordinator.review_act, name="review-act"),
    path("review/hours/", coordinator.hours_to_verify, name="hours"),
    path("review/hours/totals.csv", coordinator.hours_csv, name="hours-csv"),
    path("review/hours/<int:pk>/verify/", coordinator.hours_verify, name="hours-verify"),
]
