from django.urls import path

from ochag.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("help/", views.help_page, name="help"),
]
