"""The audit screens keep the addresses they had under core: /audit/ and /audit/views/."""

from django.urls import path

from ochag.access import audit_views

app_name = "audit"
urlpatterns = [
    path("", audit_views.audit_log, name="log"),
    path("views/", audit_views.access_log, name="views"),
    path("break-glass/", audit_views.break_glass_report, name="break_glass"),
    path("<int:pk>/", audit_views.audit_event, name="event"),
]
