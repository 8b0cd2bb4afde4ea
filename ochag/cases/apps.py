from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "ochag.cases"
    label = "cases"
