from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class DecisionsConfig(AppConfig):
    name = "xunshi.decisions"
    verbose_name = "领导小组决定"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners).
        # This cannot be at the top: the access module reaches the models, not yet loaded.
        from . import access

        for kind in (access.MINUTES_FILES, access.PLEDGE_FILES):
            record_files_register(kind)
