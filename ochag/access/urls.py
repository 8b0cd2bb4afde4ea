from django.urls import path

from ochag.access import inbox_views, token_views, views

app_name = "access"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("unlock/<str:token>/", views.unlock, name="unlock"),
    path("session/keepalive/", views.keepalive, name="keepalive"),
    path("notifications/", inbox_views.inbox, name="notifications"),
    path("notifications/read/", inbox_views.inbox_read, name="notifications_read"),
    path("notifications/bell/", inbox_views.bell, name="bell"),
    path("2fa/setup/", views.totp_setup, name="totp_setup"),
    path("2fa/verify/", views.totp_verify, name="totp_verify"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/new/", views.agency_form, name="agency_create"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("agencies/<int:pk>/edit/", views.agency_form, name="agency_edit"),
    path("agencies/<int:pk>/tokens/", token_views.token_list, name="token_list"),
    path("tokens/<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    path("tokens/<int:pk>/rotate/", token_views.token_rotate, name="token_rotate"),
    path("staff/", views.user_list, name="user_list"),
    path("staff/new/", views.user_form, name="user_create"),
    path("staff/<int:pk>/", views.user_detail, name="user_detail"),
    path("staff/<int:pk>/edit/", views.user_form, name="user_edit"),
    path("staff/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
]
