from django.urls import path

from ochag.registry.views import (
    breakglass,
    deletion,
    duplicates,
    former_names,
    households,
    merges,
    persons,
    schooling,
)

app_name = "registry"
urlpatterns = [
    path("", persons.search, name="search"),
    path("persons/new/", persons.person_create, name="person_create"),
    path("persons/<str:pk>/", persons.person_detail, name="person_detail"),
    path("persons/<str:pk>/edit/", persons.person_edit, name="person_edit"),
    path("persons/<str:pk>/deletion/", deletion.person_deletion, name="person_deletion"),
    path("persons/<str:pk>/school/", schooling.schooling_add, name="schooling_add"),
    path("persons/<str:pk>/former-name/", former_names.former_name_add, name="former_name_add"),
    path("persons/<str:pk>/school/<str:row>/left/", schooling.schooling_end, name="schooling_end"),
    path("households/new/", households.household_create, name="household_create"),
    path("households/<str:pk>/", households.household_detail, name="household_detail"),
    path("households/<str:pk>/edit/", households.household_edit, name="household_edit"),
    path("households/<str:pk>/members/", households.member_add, name="member_add"),
    path(
        "households/<str:pk>/members/<str:member>/remove/",
        households.member_remove,
        name="member_remove",
    ),
    path(
        "households/<str:pk>/relationships/",
        households.relationship_add,
        name="relationship_add",
    ),
    path(
        "households/<str:pk>/relationships/<str:rel>/remove/",
        households.relationship_remove,
        name="relationship_remove",
    ),
    path("duplicates/", duplicates.duplicate_list, name="duplicate_list"),
    path("duplicates/<str:pk>/", duplicates.duplicate_compare, name="duplicate_compare"),
    path("duplicates/<str:pk>/dismiss/", duplicates.duplicate_dismiss, name="duplicate_dismiss"),
    path("merges/", merges.merge_list, name="merge_list"),
    path("merges/<str:pk>/", merges.merge_detail, name="merge_detail"),
    path("break-glass/<str:kind>/<str:pk>/", breakglass.break_glass, name="break_glass"),
]
