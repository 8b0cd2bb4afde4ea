from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "ochag.signals"
    label = "signals"
