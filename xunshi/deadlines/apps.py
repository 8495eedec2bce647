from django.apps import AppConfig


class DeadlinesConfig(AppConfig):
    name = "xunshi.deadlines"
    verbose_name = "截止日期与工作日历"
