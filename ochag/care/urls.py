from django.urls import path

from ochag.care.views import (
    commission,
    costs,
    exports,
    institutions,
    members,
    placements,
    settings,
    tasks,
)

app_name = "care"

urlpatterns = [
    path("", institutions.institution_list, name="institutions"),
    path("institutions/new/", institutions.institution_form, name="institution_create"),
    path("institutions/<int:pk>/", institutions.institution_detail, name="institution"),
    path("institutions/<int:pk>/edit/", institutions.institution_form, name="institution_edit"),
    path("institutions/<int:pk>/visit/", institutions.visit_add, name="visit_add"),
    path("institutions/<int:pk>/incident/", institutions.incident_add, name="incident_add"),
    path(
        "institutions/<int:pk>/incident/<int:incident_pk>/done/",
        institutions.incident_done,
        name="incident_done",
    ),
    path("institutions/<int:pk>/milestone/", institutions.milestone_add, name="milestone_add"),
    path(
        "institutions/<int:pk>/milestone/<int:milestone_pk>/done/",
        institutions.milestone_done,
        name="milestone_done",
    ),
]

urlpatterns += [
    path("children/", placements.placement_list, name="children"),
    path("children/admit/", placements.placement_admit, name="admit"),
    path("children/<int:pk>/", placements.placement_detail, name="placement"),
    path("children/<int:pk>/overseer/", placements.overseer_assign, name="overseer"),
    path("children/<int:pk>/contact/", placements.contact_add, name="contact_add"),
    path("children/<int:pk>/plan/", placements.plan_open, name="plan"),
    path("children/<int:pk>/discharge/", placements.discharge, name="discharge"),
]

urlpatterns += [
    path("reviews/", commission.review_list, name="reviews"),
    path("reviews/to-agenda/", commission.agenda_add, name="agenda_add"),
    path("sittings/", commission.sitting_list, name="sittings"),
    path("sittings/new/", commission.sitting_create, name="sitting_create"),
    path("sittings/<int:pk>/", commission.sitting_detail, name="sitting"),
    path("sittings/<int:pk>/close/", commission.sitting_close, name="sitting_close"),
    path("sittings/<int:pk>/items/<int:item_pk>/", commission.agenda_item, name="agenda_item"),
    path("sittings/<int:pk>/items/<int:item_pk>/confirm/", commission.confirm, name="confirm"),
]

urlpatterns += [
    path("sittings/<int:pk>/protocol.pdf", commission.protocol_pdf, name="protocol"),
    path("costs/", costs.cost_table, name="costs"),
]

urlpatterns += [path("settings/", settings.care_settings, name="settings")]

urlpatterns += [
    path("institutions.xlsx", exports.institutions_xlsx, name="institutions_xlsx"),
    path("children.xlsx", exports.children_xlsx, name="children_xlsx"),
    path("sittings/<int:pk>/agenda.xlsx", exports.sitting_xlsx, name="agenda_xlsx"),
    path("follow-ups/", tasks.follow_up_list, name="follow_ups"),
    path("milestones/", tasks.milestone_list, name="milestones"),
]

urlpatterns += [
    path("commissions/", members.commission_list, name="commissions"),
    path("commissions/<int:pk>/", members.commission_detail, name="commission"),
    path("commissions/<int:pk>/members/", members.member_add, name="member_add"),
    path(
        "commissions/<int:pk>/members/<int:member_pk>/role/",
        members.member_role,
        name="member_role",
    ),
    path(
        "commissions/<int:pk>/members/<int:member_pk>/remove/",
        members.member_remove,
        name="member_remove",
    ),
]
