from django.urls import path

from ochag.databank import views

app_name = "databank"

urlpatterns = [
    path("", views.child_list, name="children"),
    path("children/new/", views.child_create, name="child_create"),
    path("children/<int:pk>/", views.child_detail, name="child"),
    path("children/<int:pk>/contact/", views.contact_add, name="contact_add"),
    path("children/<int:pk>/place/", views.child_place, name="child_place"),
    path("families/", views.family_list, name="families"),
    path("families/new/", views.family_create, name="family_create"),
    path("families/<int:pk>/", views.family_detail, name="family"),
    path("families/<int:pk>/inspection/", views.family_inspect, name="family_inspect"),
    path("families/<int:pk>/conclusion/", views.family_conclude, name="family_conclude"),
    path("federal/", views.federal_queue, name="federal"),
    path("federal/send/", views.federal_send, name="federal_send"),
]
