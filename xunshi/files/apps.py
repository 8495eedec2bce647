from django.apps import AppConfig


class FilesConfig(AppConfig):
    name = "xunshi.files"
    verbose_name = "附件"
