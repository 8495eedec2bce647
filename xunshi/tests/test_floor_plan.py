"""The floor plan that import-linter cannot see, read from the code with `ast` (floorplan.py).

The first three tests hold the whole tree to the rules and list every place that breaks one; the
rest plant a small app in a temporary directory and show that each check catches what it should
and lets through what it should.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from xunshi.tests.floorplan import (
    Hit,
    import_violations,
    view_violations,
    writer_violations,
)

ROOT = Path(__file__).resolve().parents[2]


def _listing(hits: list[Hit], rule: str) -> str:
    return f"{len(hits)} places where {rule}:\n" + "\n".join(str(hit) for hit in hits)


def test_it_finds_model_writes_only_in_actions_modules() -> None:
    hits = writer_violations(ROOT)
    assert not hits, _listing(hits, "a module that is not an actions module writes")


def test_it_finds_no_model_query_in_views_or_template_tags() -> None:
    hits = view_violations(ROOT)
    assert not hits, _listing(hits, "a view queries a model instead of access.py or queries.py")


def test_it_finds_no_unexplained_import_inside_a_function() -> None:
    hits = import_violations(ROOT)
    assert not hits, _listing(hits, "an import sits inside a function with no reason given")


# --- the scanners on a planted app -----------------------------------------------------------

MODELS = """
    from django.db import models

    class Stamped(models.Model):
        class Meta:
            abstract = True

    class Talk(Stamped):
        interviewers = models.ManyToManyField("registry.Cadre", related_name="talks_held")
        inspection = models.ForeignKey("rounds.Inspection", models.PROTECT, related_name="talks")
        paper = models.OneToOneField("fieldwork.Paper", models.PROTECT, related_name="talk")

    class TalkKind(models.TextChoices):
        FIRST = "first", "个别谈话"
"""


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, source in {"xunshi/talks/models.py": MODELS, **files}.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source), encoding="utf-8")
    return root


def _places(hits: list[Hit]) -> list[str]:
    return [str(hit) for hit in hits]


def test_it_flags_a_view_that_queries_a_model(tmp_path: Path) -> None:
    view = """
        from django.shortcuts import get_object_or_404
        from xunshi.talks import models
        from xunshi.talks.models import Talk, TalkKind

        def talk_list(request):
            talks = Talk.objects.filter(kind=TalkKind.FIRST).order_by('-id')
            talk = get_object_or_404(models.Talk, pk=1)
            return talks, talk, TalkKind.choices
    """
    root = _plant(
        tmp_path,
        {
            "xunshi/talks/views.py": view,
            "xunshi/talks/talk_views.py": view,
            "xunshi/talks/templatetags/talk_tags.py": view,
            "xunshi/talks/access.py": view,
            "xunshi/talks/tests/test_views.py": view,
        },
    )

    assert _places(view_violations(root)) == [
        f"xunshi/talks/{name}:{line}  {call}"
        for name in ("talk_views.py", "templatetags/talk_tags.py", "views.py")
        for line, call in [
            (7, "Talk.objects.filter(kind=TalkKind.FIRST).order_by('-id')"),
            (8, "get_object_or_404(models.Talk, pk=1)"),
        ]
    ]


def test_it_flags_a_form_that_saves_a_model(tmp_path: Path) -> None:
    form = """
        def talk_form_save(form, talk):
            talk.save()
            form.save()
    """
    root = _plant(tmp_path, {"xunshi/talks/forms.py": form, "xunshi/talks/actions.py": form})

    assert _places(writer_violations(root)) == [
        "xunshi/talks/forms.py:3  talk.save()",
        "xunshi/talks/forms.py:4  form.save()",
    ]


def test_it_lets_file_saves_and_plain_containers_through(tmp_path: Path) -> None:
    documents = """
        import hashlib

        def talk_record(doc, wb, buf, stream, storage, form):
            doc.save(buf)
            wb.save(stream)
            wb.remove(wb.active)
            storage.save("a.docx", buf)
            storage.delete("a.docx")
            digest = hashlib.sha256()
            digest.update(b"record")
            seen = set()
            seen.add(1)
            data = {"a": 1}
            data.update(b=2)
            data.clear()
            draft = form.save(commit=False)
            return draft
    """
    root = _plant(tmp_path, {"xunshi/talks/documents.py": documents})

    assert writer_violations(root) == []


def test_it_flags_queryset_manager_and_related_manager_writes(tmp_path: Path) -> None:
    queries = """
        from xunshi.talks.models import Talk

        def talk_tidy(talk, inspection, cadre, live):
            Talk.objects.filter(pk=1).update(kind="first")
            Talk.objects.create(kind="first")
            Talk.objects.get_or_create(pk=1)
            Talk._default_manager.bulk_create([])
            talk.interviewers.add(cadre)
            inspection.talks.clear()
            talk.evidenceitem_set.remove(cadre)
            live().filter(kind="first").delete()
            stale = Talk.objects.exclude(kind="first")
            stale.update(kind="first")
            talk.delete()
    """
    root = _plant(tmp_path, {"xunshi/talks/queries.py": queries})

    assert [hit.line for hit in writer_violations(root)] == [5, 6, 7, 8, 9, 10, 11, 12, 14, 15]


def test_it_lets_tests_migrations_demo_and_scaffolding_write(tmp_path: Path) -> None:
    writes = "def build(talk):\n    talk.save()\n"
    root = _plant(
        tmp_path,
        {
            "xunshi/talks/tests/test_talks.py": writes,
            "xunshi/talks/tests/conftest.py": writes,
            "xunshi/talks/migrations/0002_fill.py": writes,
            "xunshi/demo/talks.py": writes,
            "xunshi/testsupport/world.py": writes,
            "xunshi/talks/paper_actions.py": writes,
            "xunshi/talks/management/commands/talks_fix.py": writes,
        },
    )

    assert _places(writer_violations(root)) == [
        "xunshi/talks/management/commands/talks_fix.py:2  talk.save()"
    ]


def test_it_flags_an_import_inside_a_function_unless_the_comment_says_why(
    tmp_path: Path,
) -> None:
    module = """
        import json

        def ready():
            from . import signals

        def late():
            # The app registry is not ready at import time, so this cannot be at the top.
            from .models import Talk

            def inner():
                import csv

            return Talk, inner
    """
    root = _plant(
        tmp_path,
        {"xunshi/talks/apps.py": module, "xunshi/talks/tests/test_apps.py": module},
    )

    assert _places(import_violations(root)) == [
        "xunshi/talks/apps.py:5  from . import signals",
        "xunshi/talks/apps.py:12  import csv",
    ]
