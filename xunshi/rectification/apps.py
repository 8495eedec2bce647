from django.apps import AppConfig

from xunshi.files.owners import record_files_register
from xunshi.searchindex.kinds import search_kind_register


class RectificationConfig(AppConfig):
    name = "xunshi.rectification"
    verbose_name = "整改"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access, search_kinds

        for kind in (access.EVIDENCE_FILES,):
            record_files_register(kind)
        # Tells the search index the kinds of record it holds (searchindex.kinds).
        search_kind_register(search_kinds.LEDGER_ITEMS)
