from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "xunshi.search"
    verbose_name = "全文检索"
