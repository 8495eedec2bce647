from django.apps import AppConfig

from xunshi.lib.documentkinds import document_kind_register
from xunshi.searchindex.kinds import search_kind_register


class FindingsConfig(AppConfig):
    name = "xunshi.findings"
    verbose_name = "问题与线索"

    def ready(self) -> None:
        # Tells the PDF job which documents it may convert (xunshi.lib.documentkinds) and the
        # search index the kinds of record it holds (searchindex.kinds).
        # This cannot be at the top: the kinds reach the models, not yet loaded.
        from . import pdf_kinds, search_kinds

        for kind in pdf_kinds.PDF_KINDS:
            document_kind_register(kind)
        for search_kind in (search_kinds.PROBLEMS, search_kinds.CLUES):
            search_kind_register(search_kind)
