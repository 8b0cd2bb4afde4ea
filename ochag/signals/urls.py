from django.urls import path

from ochag.signals import views

app_name = "signals"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("sent/", views.sent, name="sent"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/accept/", views.accept, name="accept"),
    path("<int:pk>/return/", views.return_to_sender, name="return"),
    path("<int:pk>/forward/", views.forward, name="forward"),
    path("<int:pk>/attachments/<int:attachment_id>/", views.attachment, name="attachment"),
    path("new/", views.staff_new, name="staff_new"),
    path("new/step/<int:step>/", views.staff_new, name="staff_step"),
    path("new/check/", views.staff_check, name="staff_check"),
    path("new/autosave/", views.staff_autosave, name="staff_autosave"),
    path("new/discard/", views.staff_discard, name="staff_discard"),
    path("helpline/", views.helpline, name="helpline"),
    path("report/", views.public_form, name="public"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/read/", views.notifications_read, name="notifications_read"),
    path("notifications/bell/", views.bell, name="bell"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/new/", views.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", views.rule_delete, name="rule_delete"),
    path("upload/", views.upload, name="upload"),
    path("upload/<int:pk>/", views.import_detail, name="import_detail"),
    path("upload/<int:pk>/errors.csv", views.import_errors, name="import_errors"),
]
