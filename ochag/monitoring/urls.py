from django.urls import path

from ochag.monitoring import audit_views, custom_views, staff_views, views

app_name = "monitoring"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("refresh/", views.refresh_request, name="refresh"),
    path("indicators/<slug:code>/", views.indicator_detail, name="indicator"),
    path("indicators/<slug:code>/list/", views.indicator_list, name="list"),
    path("indicators/<slug:code>/export.xlsx", views.indicator_export, name="export"),
]

urlpatterns += [
    path("indicators/<slug:code>/targets/", staff_views.targets, name="targets"),
    path("training/", staff_views.training_list, name="training"),
    path("form-103/", views.form_103_view, name="form103"),
    path("reports/", staff_views.report_list, name="reports"),
    path("reports/<int:pk>.xlsx", staff_views.report_download, name="report"),
    path("training/new/", staff_views.training_new, name="training_new"),
    path("checklist/", staff_views.checklist_page, name="checklist"),
    path("regional/", custom_views.custom_list, name="custom_list"),
    path("regional/new/", custom_views.custom_edit, name="custom_new"),
    path("regional/<int:pk>/", custom_views.custom_edit, name="custom_edit"),
    path("regional/<int:pk>/retire/", custom_views.custom_retire, name="custom_retire"),
    path("risk-audit/", audit_views.risk_audit_page, name="risk_audit"),
    path("checklist/<slug:item>/", staff_views.checklist_declare, name="checklist_declare"),
]
