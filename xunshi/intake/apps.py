from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class IntakeConfig(AppConfig):
    name = "xunshi.intake"
    verbose_name = "码上巡察受理"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners); the access module
        # reaches the models, which are not loaded when this module is imported.
        from . import access

        for kind in (access.PORTAL_FILES,):
            record_files_register(kind)
