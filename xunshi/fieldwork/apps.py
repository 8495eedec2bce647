from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "xunshi.fieldwork"
    # The label the tables were created under: fieldwork, findings and lifecycle keep it
    # (tables, migrations, audit object types), see docs/architecture.md.
    label = "inspections"
    verbose_name = "巡视工作"
