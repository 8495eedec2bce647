from django.apps import AppConfig

from xunshi.lib.documentkinds import document_kind_register


class DocTemplatesConfig(AppConfig):
    name = "xunshi.doctemplates"
    verbose_name = "公文模板"

    def ready(self) -> None:
        # Tells the PDF job it may convert a version's preview (xunshi.lib.documentkinds).
        # This cannot be at the top: the kind's lookup reaches the models, not yet loaded.
        from .pdf_kinds import PDF_KINDS

        for kind in PDF_KINDS:
            document_kind_register(kind)
