from django.apps import AppConfig

from xunshi.files.owners import record_files_register


class FieldworkConfig(AppConfig):
    name = "xunshi.fieldwork"
    # The label the tables were created under: fieldwork, findings and lifecycle keep it
    # (tables, migrations, audit object types), see docs/architecture.md.
    label = "inspections"
    verbose_name = "巡视工作"

    def ready(self) -> None:
        # Tells files who reads the files its records hold (files.owners); the access module
        # reaches the models, which are not loaded when this module is imported.
        from . import access

        for kind in (access.PAPER_FILES,):
            record_files_register(kind)
