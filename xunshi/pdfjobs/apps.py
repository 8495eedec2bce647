from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class PdfJobsConfig(AppConfig):
    name = "xunshi.pdfjobs"
    verbose_name = "文书PDF"

    def ready(self) -> None:
        # Tells files that a stored PDF is its requester's alone (files.owners).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access

        record_files_register(access.PDF_FILES)
