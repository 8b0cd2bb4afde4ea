"""The calendar screen keeps the address it had under core: /calendar/."""

from django.urls import path

from ochag.access import calendar_views

app_name = "calendar"
urlpatterns = [
    path("", calendar_views.calendar, name="list"),
    path("<int:pk>/delete/", calendar_views.calendar_delete, name="delete"),
]
