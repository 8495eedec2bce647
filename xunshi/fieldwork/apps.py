from django.apps import AppConfig

from xunshi.files.owners import record_files_register
from xunshi.lib.documentkinds import document_kind_register
from xunshi.searchindex.kinds import search_kind_register


class FieldworkConfig(AppConfig):
    name = "xunshi.fieldwork"
    # The label the tables were created under: fieldwork, findings and lifecycle keep it
    # (tables, migrations, audit object types), see docs/architecture.md.
    label = "inspections"
    verbose_name = "巡视工作"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners), the PDF job which
        # documents it may convert (xunshi.lib.documentkinds) and the search index the kinds
        # of record it holds (searchindex.kinds).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access, pdf_kinds, search_kinds

        for kind in (access.PAPER_FILES,):
            record_files_register(kind)
        for document in pdf_kinds.PDF_KINDS:
            document_kind_register(document)
        for search_kind in (search_kinds.PAPERS, search_kinds.TALKS, search_kinds.PETITIONS):
            search_kind_register(search_kind)
