from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "xunshi.jobs"
    verbose_name = "后台任务"
