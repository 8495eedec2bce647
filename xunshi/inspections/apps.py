from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "xunshi.inspections"
    verbose_name = "巡视工作"
