from django.apps import AppConfig

from xunshi.searchindex.kinds import search_kind_register


class RegistryConfig(AppConfig):
    name = "xunshi.registry"
    verbose_name = "单位与干部库"

    def ready(self) -> None:
        # Tells the search index the kinds of record it holds (searchindex.kinds).
        # This cannot be at the top: the kinds reach the models, not yet loaded.
        from . import search_kinds

        for kind in (search_kinds.ORGS, search_kinds.CADRES):
            search_kind_register(kind)
