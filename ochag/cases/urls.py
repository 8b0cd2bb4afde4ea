from django.urls import path

from ochag.cases.views import assessments, case, course, kdn, lists, opening, plan, sittings

app_name = "cases"
urlpatterns = [
    path("", lists.case_list, name="list"),
    path("tasks/", lists.task_list, name="tasks"),
    path("board/", lists.board, name="board"),
    path("notifications/", lists.notification_list, name="notifications"),
    path("workload/", lists.workload, name="workload"),
    path("open/", opening.case_open_search, name="open"),
    path("open/<int:household_pk>/", opening.case_open, name="open_household"),
    path("from-signal/<int:signal_pk>/", opening.case_from_signal, name="from_signal"),
    path("kdn/", sittings.sitting_list, name="sittings"),
    path("kdn/new/", sittings.sitting_new, name="sitting_new"),
    path("kdn/<int:pk>/", sittings.sitting_detail, name="sitting"),
    path("kdn/<int:pk>/attendance/", sittings.sitting_attendance, name="sitting_attendance"),
    path("kdn/<int:pk>/agenda/new/", sittings.sitting_case_add, name="sitting_case_add"),
    path(
        "kdn/<int:pk>/agenda/<int:item_pk>/decision/",
        sittings.sitting_decision,
        name="sitting_decision",
    ),
    path(
        "kdn/<int:pk>/agenda/<int:item_pk>/pdf/",
        sittings.sitting_resolution_pdf,
        name="sitting_resolution_pdf",
    ),
    path("<int:pk>/", case.case_detail, name="detail"),
    path("<int:pk>/timeline/", case.case_timeline, name="timeline"),
    path("<int:pk>/print/", case.case_print, name="print"),
    path("<int:pk>/pdf/", case.case_pdf, name="pdf"),
    path("<int:pk>/safety/", assessments.safety_new, name="safety"),
    path("<int:pk>/safety/<int:assessment_pk>/removal/", assessments.removal_new, name="removal"),
    path("<int:pk>/risk/", assessments.risk_new, name="risk"),
    path("<int:pk>/risk/<int:risk_pk>/", assessments.risk_detail, name="risk_detail"),
    path("<int:pk>/sessions/new/", kdn.session_new, name="session"),
    path("<int:pk>/sessions/<int:session_pk>/pdf/", kdn.session_pdf, name="session_pdf"),
    path("<int:pk>/plan/", plan.plan_edit, name="plan"),
    path("<int:pk>/tasks/new/", plan.task_new, name="task_new"),
    path("<int:pk>/tasks/<int:task_pk>/", plan.task_update, name="task"),
    path("<int:pk>/monitoring/new/", course.monitoring_new, name="monitoring"),
    path("<int:pk>/notes/new/", course.note_new, name="note"),
    path("<int:pk>/agencies/new/", course.participant_add, name="participant"),
    path("<int:pk>/curator/", course.curator_change, name="curator"),
    path("<int:pk>/close/", course.case_close, name="close"),
    path("<int:pk>/reopen/", course.case_reopen, name="reopen"),
]
