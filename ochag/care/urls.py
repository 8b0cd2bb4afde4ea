from django.urls import path

from ochag.care.views import institutions

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
