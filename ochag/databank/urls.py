from django.urls import path

from ochag.databank import views

app_name = "databank"

urlpatterns = [
    path("", views.child_list, name="children"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/edit/", views.child_edit, name="child_edit"),
    path("children/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("children/<int:pk>/place/", views.child_place, name="child_place"),
    path("children/<int:pk>/photo/", views.child_photo, name="child_photo"),
    path("children/<int:pk>/photo/upload/", views.photo_upload, name="photo_upload"),
    path("children/<int:pk>/photo/remove/", views.photo_remove, name="photo_remove"),
    path("children/<int:pk>/siblings/", views.siblings_join, name="siblings_join"),
    path("photos/<str:token>/", views.anonymised_photo, name="anonymised_photo"),
    path("siblings/<int:pk>/", views.sibling_group, name="siblings"),
    path("siblings/<int:pk>/edit/", views.sibling_group_update, name="siblings_edit"),
    path("siblings/<int:pk>/add/", views.sibling_add, name="sibling_add"),
    path("siblings/<int:pk>/remove/<int:child_pk>/", views.sibling_remove, name="sibling_remove"),
    path("families/", views.family_list, name="families"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<int:pk>/", views.family_detail, name="family"),
    path("families/<int:pk>/edit/", views.family_edit, name="family_edit"),
    path("families/<int:pk>/inspection/", views.family_inspect, name="family_inspect"),
    path("families/<int:pk>/conclusion/", views.family_conclude, name="family_conclude"),
    path("federal/", views.federal_queue, name="federal"),
    path("federal/send/", views.federal_send, name="federal_send"),
]
