from django.apps import AppConfig


class DocTemplatesConfig(AppConfig):
    name = "xunshi.doctemplates"
    verbose_name = "公文模板"
