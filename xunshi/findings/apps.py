from django.apps import AppConfig

from xunshi.searchindex.kinds import search_kind_register


class FindingsConfig(AppConfig):
    name = "xunshi.findings"
    verbose_name = "问题与线索"

    def ready(self) -> None:
        # Tells the search index the kinds of record it holds (searchindex.kinds).
        # This cannot be at the top: the kinds reach the models, not yet loaded.
        from . import search_kinds

        for kind in (search_kinds.PROBLEMS, search_kinds.CLUES):
            search_kind_register(kind)
