from django.urls import path

from ochag.cases import views

app_name = "cases"
urlpatterns = [
    path("", views.case_list, name="list"),
    path("tasks/", views.task_list, name="tasks"),
    path("board/", views.board, name="board"),
    path("notifications/", views.notification_list, name="notifications"),
    path("workload/", views.workload, name="workload"),
    path("open/", views.case_open_search, name="open"),
    path("open/<int:household_pk>/", views.case_open, name="open_household"),
    path("from-signal/<int:signal_pk>/", views.case_from_signal, name="from_signal"),
    path("<int:pk>/", views.case_detail, name="detail"),
    path("<int:pk>/timeline/", views.case_timeline, name="timeline"),
    path("<int:pk>/print/", views.case_print, name="print"),
    path("<int:pk>/pdf/", views.case_pdf, name="pdf"),
    path("<int:pk>/safety/", views.safety_new, name="safety"),
    path("<int:pk>/safety/<int:assessment_pk>/removal/", views.removal_new, name="removal"),
    path("<int:pk>/risk/", views.risk_new, name="risk"),
    path("<int:pk>/risk/<int:risk_pk>/", views.risk_detail, name="risk_detail"),
    path("<int:pk>/sessions/new/", views.session_new, name="session"),
    path("<int:pk>/sessions/<int:session_pk>/pdf/", views.session_pdf, name="session_pdf"),
    path("<int:pk>/plan/", views.plan_edit, name="plan"),
    path("<int:pk>/tasks/new/", views.task_new, name="task_new"),
    path("<int:pk>/tasks/<int:task_pk>/", views.task_update, name="task"),
    path("<int:pk>/monitoring/new/", views.monitoring_new, name="monitoring"),
    path("<int:pk>/notes/new/", views.note_new, name="note"),
    path("<int:pk>/agencies/new/", views.participant_add, name="participant"),
    path("<int:pk>/curator/", views.curator_change, name="curator"),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
]
