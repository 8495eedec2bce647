from django.apps import AppConfig

from xunshi.lib.documentkinds import document_kind_register


class RoundsConfig(AppConfig):
    name = "xunshi.rounds"
    verbose_name = "轮次与巡视组"

    def ready(self) -> None:
        # Tells the PDF job which documents it may convert (xunshi.lib.documentkinds).
        # This cannot be at the top: the kinds' access lookups reach the models, not yet loaded.
        from .pdf_kinds import PDF_KINDS

        for kind in PDF_KINDS:
            document_kind_register(kind)
