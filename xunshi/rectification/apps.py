from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class RectificationConfig(AppConfig):
    name = "xunshi.rectification"
    verbose_name = "整改"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners); the access module
        # reaches the models, which are not loaded when this module is imported.
        from . import access

        for kind in (access.EVIDENCE_FILES,):
            record_files_register(kind)
