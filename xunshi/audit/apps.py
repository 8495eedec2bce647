from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "xunshi.audit"
    verbose_name = "审计"
