from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "xunshi.dashboards"
    verbose_name = "统计分析"
