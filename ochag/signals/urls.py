from django.urls import path

from ochag.signals.views import channels, notifications, queue, rules, staff_form, uploads

app_name = "signals"
urlpatterns = [
    path("", queue.queue, name="queue"),
    path("sent/", queue.sent, name="sent"),
    path("<int:pk>/", queue.detail, name="detail"),
    path("<int:pk>/assign/", queue.assign, name="assign"),
    path("<int:pk>/accept/", queue.accept, name="accept"),
    path("<int:pk>/return/", queue.return_to_sender, name="return"),
    path("<int:pk>/forward/", queue.forward, name="forward"),
    path("<int:pk>/attachments/<int:attachment_id>/", queue.attachment, name="attachment"),
    path("new/", staff_form.staff_new, name="staff_new"),
    path("new/step/<int:step>/", staff_form.staff_new, name="staff_step"),
    path("new/check/", staff_form.staff_check, name="staff_check"),
    path("new/autosave/", staff_form.staff_autosave, name="staff_autosave"),
    path("new/discard/", staff_form.staff_discard, name="staff_discard"),
    path("helpline/", channels.helpline, name="helpline"),
    path("report/", channels.public_form, name="public"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/read/", notifications.notifications_read, name="notifications_read"),
    path("notifications/bell/", notifications.bell, name="bell"),
    path("rules/", rules.rule_list, name="rules"),
    path("rules/new/", rules.rule_edit, name="rule_create"),
    path("rules/<int:pk>/", rules.rule_edit, name="rule_edit"),
    path("rules/<int:pk>/delete/", rules.rule_delete, name="rule_delete"),
    path("upload/", uploads.upload, name="upload"),
    path("upload/<int:pk>/", uploads.import_detail, name="import_detail"),
    path("upload/<int:pk>/errors.csv", uploads.import_errors, name="import_errors"),
    path("upload/<int:pk>/resume/", uploads.import_resume, name="import_resume"),
    path("upload/<int:pk>/cancel/", uploads.import_cancel, name="import_cancel"),
    path("upload/template.xlsx", uploads.upload_template, name="upload_template"),
]
