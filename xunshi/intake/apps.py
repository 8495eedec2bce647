from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class IntakeConfig(AppConfig):
    name = "xunshi.intake"
    verbose_name = "码上巡察受理"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access

        for kind in (access.PORTAL_FILES,):
            record_files_register(kind)
