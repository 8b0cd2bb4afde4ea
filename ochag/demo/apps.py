from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "ochag.demo"
    label = "demo"
