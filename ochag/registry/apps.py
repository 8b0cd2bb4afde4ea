from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "ochag.registry"
    label = "registry"
