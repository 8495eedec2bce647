from django.apps import AppConfig


class SearchIndexConfig(AppConfig):
    name = "xunshi.searchindex"
    verbose_name = "全文检索索引"
