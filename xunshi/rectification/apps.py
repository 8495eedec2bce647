from django.apps import AppConfig

from xunshi.files.owners import record_files_register
from xunshi.lib.documentkinds import document_kind_register
from xunshi.searchindex.kinds import search_kind_register


class RectificationConfig(AppConfig):
    name = "xunshi.rectification"
    verbose_name = "整改"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners), the PDF job which
        # documents it may convert (xunshi.lib.documentkinds) and the search index the kinds
        # of record it holds (searchindex.kinds).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access, pdf_kinds, search_kinds

        for kind in (access.EVIDENCE_FILES,):
            record_files_register(kind)
        for document in pdf_kinds.PDF_KINDS:
            document_kind_register(document)
        search_kind_register(search_kinds.LEDGER_ITEMS)
