from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class RectificationConfig(AppConfig):
    name = "xunshi.rectification"
    verbose_name = "整改"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access

        for kind in (access.EVIDENCE_FILES,):
            record_files_register(kind)
