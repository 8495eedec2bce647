from django.apps import AppConfig


class LifecycleConfig(AppConfig):
    name = "xunshi.lifecycle"
    verbose_name = "巡视流程"
