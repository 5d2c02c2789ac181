from django.urls import path

from qicollab.accounts import views, views_invitations, views_password, views_tokens

app_name = "accounts"

urlpatterns = [
    path("login/", views.login, name="login"),
    path("logout/", views.logout, name="logout"),
    path("profile/", views.profile, name="profile"),
    path("people/", views.person_list, name="person_list"),
    path("people/<int:pk>/", views.person_detail, name="person_detail"),
    # Password reset
    path("password-reset/", views_password.reset_request, name="password_reset"),
    path("password-reset/sent/", views_password.reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views_password.reset_confirm,
        name="password_reset_confirm",
    ),
    path("password-reset/done/", views_password.reset_done, name="password_reset_done"),
    path("password/", views_password.change, name="password_change"),
    # Invitations
    path(
        "organisations/<slug:slug>/invitations/",
        views_invitations.invitation_list,
        name="invitation_list",
    ),
    path(
        "organisations/<slug:slug>/invitations/new/",
        views_invitations.invitation_create,
        name="invitation_create",
    ),
    path(
        "collaboratives/<slug:slug>/invitations/new/",
        views_invitations.organisation_invitation_create,
        name="organisation_invitation_create",
    ),
    path(
        "invitations/<int:pk>/withdraw/",
        views_invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path(
        "invitations/<int:pk>/send-again/",
        views_invitations.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "invitations/accept/<str:token>/",
        views_invitations.invitation_accept,
        name="invitation_accept",
    ),
    # API tokens
    path("tokens/", views_tokens.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="token_revoke"),
    # The secret link calendar apps subscribe to (the feed itself is events:my_ics_feed)
    path("calendar-link/", views_tokens.calendar_feed, name="calendar_feed"),
]
