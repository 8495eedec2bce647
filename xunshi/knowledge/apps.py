from django.apps import AppConfig

from xunshi.searchindex.kinds import search_kind_register


class KnowledgeConfig(AppConfig):
    name = "xunshi.knowledge"
    verbose_name = "知识库"

    def ready(self) -> None:
        # Tells the search index the kinds of record it holds (searchindex.kinds).
        # This cannot be at the top: the kinds reach the models, not yet loaded.
        from . import search_kinds

        for kind in (search_kinds.ARTICLES, search_kinds.CASES, search_kinds.STATEMENTS):
            search_kind_register(kind)
