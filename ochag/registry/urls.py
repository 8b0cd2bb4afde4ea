from django.urls import path

from ochag.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.search, name="search"),
    path("persons/new/", views.person_create, name="person_create"),
    path("persons/<str:pk>/", views.person_detail, name="person_detail"),
    path("persons/<str:pk>/edit/", views.person_edit, name="person_edit"),
    path("households/new/", views.household_create, name="household_create"),
    path("households/<str:pk>/", views.household_detail, name="household_detail"),
    path("households/<str:pk>/members/", views.member_add, name="member_add"),
    path(
        "households/<str:pk>/members/<str:member>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("households/<str:pk>/relationships/", views.relationship_add, name="relationship_add"),
    path(
        "households/<str:pk>/relationships/<str:rel>/remove/",
        views.relationship_remove,
        name="relationship_remove",
    ),
    path("duplicates/", views.duplicate_list, name="duplicate_list"),
    path("duplicates/<str:pk>/", views.duplicate_compare, name="duplicate_compare"),
    path("duplicates/<str:pk>/dismiss/", views.duplicate_dismiss, name="duplicate_dismiss"),
    path("merges/", views.merge_list, name="merge_list"),
    path("merges/<str:pk>/", views.merge_detail, name="merge_detail"),
]
