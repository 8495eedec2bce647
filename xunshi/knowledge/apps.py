from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "xunshi.knowledge"
    verbose_name = "知识库"
