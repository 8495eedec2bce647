from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "xunshi.registry"
    verbose_name = "单位与干部库"
