from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class DecisionsConfig(AppConfig):
    name = "xunshi.decisions"
    verbose_name = "领导小组决定"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners); the access module
        # reaches the models, which are not loaded when this module is imported.
        from . import access

        for kind in (access.MINUTES_FILES, access.PLEDGE_FILES):
            record_files_register(kind)
