"""Scanners that read the code with `ast` and find the places that break the floor plan.

Three rules of the house (README, issue 9) that import-linter cannot see:

- *writers*: only actions modules (`*actions.py`) write to the database. A write is a model or
  ModelForm `save()`, a `delete()`, a manager's `create`/`get_or_create`/`update_or_create`/
  `bulk_create`/`bulk_update`, a queryset's `update()`, and `add`/`remove`/`set`/`clear` on a
  related manager;
- *views*: views and template tags never query a model themselves (`X.objects`,
  `X._default_manager`, `get_object_or_404(X, ...)`); they call `access.py` or `queries.py`;
- *imports*: no `import` inside a function body, unless the comment on the line above says why
  it "cannot be at the top".

Each scanner takes the repository's root and returns `Hit`s (`path:line  call`), so a test can
run it on the real tree or on a planted one. The rules are heuristics read from the syntax
alone; each choice is commented where it is made.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Hit:
    path: str
    line: int
    call: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}  {self.call}"


# --- the files each rule reads ---------------------------------------------------------------


def python_files(root: Path) -> Iterator[tuple[str, Path]]:
    """Each `.py` file under root/xunshi as (path relative to root with slashes, file)."""
    for file in sorted((root / "xunshi").rglob("*.py")):
        yield file.relative_to(root).as_posix(), file


def _parts(path: str) -> list[str]:
    return path.split("/")


def is_test_or_migration(path: str) -> bool:
    # tests/ and migrations/ directories at any depth, and pytest's conftest.py anywhere.
    parts = _parts(path)
    return "tests" in parts[:-1] or "migrations" in parts[:-1] or parts[-1] == "conftest.py"


def may_write(path: str) -> bool:
    """Whether the rule lets this module write: actions modules, migrations, tests, scaffolding."""
    if is_test_or_migration(path):
        return True
    # The demo loaders and the test scaffolding build whole worlds; they are not production rooms.
    if path.startswith(("xunshi/demo/", "xunshi/testsupport/")):
        return True
    # `actions.py`, and the split ones of a big app (`paper_actions.py`, `taxonomy_actions.py`).
    return path.endswith("actions.py")


def is_view_module(path: str) -> bool:
    if is_test_or_migration(path):
        return False
    name = _parts(path)[-1]
    return name == "views.py" or name.endswith("_views.py") or "templatetags" in _parts(path)


def _parse(file: Path) -> ast.Module:
    return ast.parse(file.read_text(encoding="utf-8"), filename=str(file))


def _call_text(node: ast.AST) -> str:
    # The call as written, on one line and cut short, so a report stays one line per place.
    text = " ".join(ast.unparse(node).split())
    return text if len(text) <= 90 else text[:87] + "..."


# --- what the models.py files define ---------------------------------------------------------

# Django's own concrete-able bases that our models may extend instead of models.Model.
DJANGO_MODEL_BASES = frozenset({"Model", "AbstractUser", "AbstractBaseUser"})


def _dotted_tail(node: ast.expr) -> str | None:
    # `models.Model`, `Model` and `auth_models.AbstractUser` all end in the name that matters.
    if isinstance(node, ast.Attribute):
        return node.attr
    if isinstance(node, ast.Name):
        return node.id
    return None


def _models_files(root: Path) -> list[Path]:
    # models.py, and the modules of a models/ package should an app split its models.
    return [
        file
        for path, file in python_files(root)
        if not is_test_or_migration(path)
        and (file.name == "models.py" or file.parent.name == "models")
    ]


def model_classes(root: Path) -> frozenset[str]:
    """Names of the classes in xunshi's models files that are Django models (abstract too)."""
    classes = [
        node
        for file in _models_files(root)
        for node in ast.walk(_parse(file))
        if isinstance(node, ast.ClassDef)
    ]
    found: set[str] = set()
    # Repeat until nothing is added: a model may extend a model defined further down or elsewhere.
    while True:
        before = len(found)
        for cls in classes:
            bases = {_dotted_tail(b) for b in cls.bases}
            if bases & DJANGO_MODEL_BASES or bases & found:
                found.add(cls.name)
        if len(found) == before:
            return frozenset(found)


_TO_MANY = frozenset({"ForeignKey", "ManyToManyField"})


def related_manager_names(root: Path) -> frozenset[str]:
    """Attribute names that are related managers on our model instances.

    A ManyToManyField's own name, and the `related_name` of a ForeignKey or ManyToManyField
    (`insp.dues`, `talk.interviewers`). A OneToOneField's reverse is a single object, not a
    manager, so it is left out; `related_name="+"` has no reverse at all.
    """
    names: set[str] = set()
    for file in _models_files(root):
        for node in ast.walk(_parse(file)):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Call):
                continue
            kind = _dotted_tail(node.value.func)
            if kind not in _TO_MANY:
                continue
            if kind == "ManyToManyField":
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            for keyword in node.value.keywords:
                value = keyword.value
                if (
                    keyword.arg == "related_name"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and value.value.isidentifier()
                ):
                    names.add(value.value)
    return frozenset(names)


# --- rule (a): who writes --------------------------------------------------------------------

# Methods that only querysets have: a call of one of them is a queryset whatever it was called on
# (`_live().filter(stale)` as much as `Item.objects.filter(...)`).
QUERYSET_CHAIN = frozenset(
    {
        "filter",
        "exclude",
        "all",
        "select_for_update",
        "select_related",
        "prefetch_related",
        "order_by",
        "annotate",
        "distinct",
        "only",
        "defer",
        "using",
    }
)
# Attributes that are a model's managers.
MANAGERS = frozenset({"objects", "_default_manager", "_base_manager"})
# Method names that exist only on Django managers and querysets, so any receiver will do.
MANAGER_ONLY_WRITES = frozenset(
    {
        "get_or_create",
        "update_or_create",
        "bulk_create",
        "bulk_update",
        "create_user",
        "create_superuser",
    }
)
# Written only through a manager or queryset: `dict.update`, `hashlib...update` and factory
# classmethods called `create` are not model writes.
QUERYSET_WRITES = frozenset({"create", "update"})
# Written only through a related manager: `set.add`, `list.remove`, `Element.set`, `dict.clear`
# and openpyxl's `wb.remove(sheet)` are not.
RELATED_WRITES = frozenset({"add", "remove", "set", "clear"})


class _WriteFinder(ast.NodeVisitor):
    def __init__(self, path: str, related: frozenset[str]) -> None:
        self.path = path
        self.related = related
        self.hits: list[Hit] = []
        # Names bound to a queryset in the scope being read (`items = X.objects.filter(...)`),
        # so that `items.update(...)` is seen; one stack entry per function.
        self.querysets: list[set[str]] = [set()]

    def _is_related_manager(self, node: ast.expr) -> bool:
        # `<instance>.<related name>`, or Django's default reverse name `<model>_set`.
        return isinstance(node, ast.Attribute) and (
            node.attr in self.related or node.attr.endswith("_set")
        )

    def _is_queryset(self, node: ast.expr) -> bool:
        if isinstance(node, ast.Attribute) and node.attr in MANAGERS:
            return True
        if self._is_related_manager(node):
            return True
        if isinstance(node, ast.Name):
            return node.id in self.querysets[-1]
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            return node.func.attr in QUERYSET_CHAIN
        return False

    def _visit_scope(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self.querysets.append(set())
        self.generic_visit(node)
        self.querysets.pop()

    visit_FunctionDef = _visit_scope
    visit_AsyncFunctionDef = _visit_scope
    visit_Lambda = _visit_scope

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        names = {t.id for t in node.targets if isinstance(t, ast.Name)}
        if self._is_queryset(node.value):
            self.querysets[-1].update(names)
        else:
            # Rebinding a name to something else ends its life as a queryset.
            self.querysets[-1].difference_update(names)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        if isinstance(node.target, ast.Name) and node.value is not None:
            if self._is_queryset(node.value):
                self.querysets[-1].add(node.target.id)
            else:
                self.querysets[-1].discard(node.target.id)

    def visit_Call(self, node: ast.Call) -> None:
        self.generic_visit(node)
        if isinstance(node.func, ast.Attribute) and self._is_write(node.func, node):
            self.hits.append(Hit(self.path, node.lineno, _call_text(node)))

    def _is_write(self, func: ast.Attribute, call: ast.Call) -> bool:
        method, receiver = func.attr, func.value
        # A positional argument that is not `*args`: `doc.save(buf)`, `wb.save(stream)`,
        # `storage.save(name, content)`, `storage.delete(name)` are files, not rows. Model.save()
        # and Model.delete() take keywords only (Django 5.2 deprecates positional ones).
        positional = any(not isinstance(a, ast.Starred) for a in call.args)
        if method == "save":
            # `form.save(commit=False)` builds an unsaved instance; any other ModelForm save writes.
            uncommitted = any(
                k.arg == "commit" and isinstance(k.value, ast.Constant) and k.value.value is False
                for k in call.keywords
            )
            return not positional and not uncommitted
        if method == "delete":
            return not positional
        if method in MANAGER_ONLY_WRITES:
            return True
        if method in QUERYSET_WRITES:
            return self._is_queryset(receiver)
        if method in RELATED_WRITES:
            return self._is_related_manager(receiver)
        return False


def writes_in(source: str, path: str, related: frozenset[str]) -> list[Hit]:
    """The model writes in one module's source."""
    finder = _WriteFinder(path, related)
    finder.visit(ast.parse(source, filename=path))
    return sorted(finder.hits)


def writer_violations(root: Path) -> list[Hit]:
    """Model writes in modules that are not allowed to write."""
    related = related_manager_names(root)
    return [
        hit
        for path, file in python_files(root)
        if not may_write(path)
        for hit in writes_in(file.read_text(encoding="utf-8"), path, related)
    ]


# --- rule (b): views do not query ------------------------------------------------------------

SHORTCUTS = frozenset({"get_object_or_404", "get_list_or_404"})


def _whole_chain(node: ast.expr, parents: dict[ast.AST, ast.AST]) -> ast.expr:
    # Report `Talk.objects.filter(...).order_by(...)`, not just `Talk.objects`.
    parent = parents.get(node)
    while (isinstance(parent, ast.Attribute) and parent.value is node) or (
        isinstance(parent, ast.Call) and parent.func is node
    ):
        node, parent = parent, parents.get(parent)
    return node


def queries_in(source: str, path: str, models: frozenset[str]) -> list[Hit]:
    """The places in one module that reach one of `models` without going through access/queries."""
    tree = ast.parse(source, filename=path)
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    hits: list[Hit] = []
    for node in ast.walk(tree):
        # `Talk.objects` and `fieldwork_models.Talk.objects` alike: the class is the last name.
        if (
            isinstance(node, ast.Attribute)
            and node.attr in MANAGERS
            and _dotted_tail(node.value) in models
        ):
            hits.append(Hit(path, node.lineno, _call_text(_whole_chain(node, parents))))
        # get_object_or_404(Talk, pk=pk); with a queryset argument the `.objects` above counts.
        if (
            isinstance(node, ast.Call)
            and _dotted_tail(node.func) in SHORTCUTS
            and node.args
            and _dotted_tail(node.args[0]) in models
        ):
            hits.append(Hit(path, node.lineno, _call_text(node)))
    return sorted(hits)


def view_violations(root: Path) -> list[Hit]:
    """Model queries written in views and template tags."""
    models = model_classes(root)
    return [
        hit
        for path, file in python_files(root)
        if is_view_module(path)
        for hit in queries_in(file.read_text(encoding="utf-8"), path, models)
    ]


# --- rule (c): imports at the top ------------------------------------------------------------

EXCUSE = "cannot be at the top"


def function_imports_in(source: str, path: str) -> list[Hit]:
    """Imports inside function bodies whose line above is not a comment saying why."""
    lines = source.splitlines()
    seen: set[int] = set()
    hits: list[Hit] = []
    for function in ast.walk(ast.parse(source, filename=path)):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            # A nested function's import is met again from the outer one; count it once.
            if not isinstance(node, ast.Import | ast.ImportFrom) or id(node) in seen:
                continue
            seen.add(id(node))
            above = lines[node.lineno - 2].strip() if node.lineno >= 2 else ""
            if above.startswith("#") and EXCUSE in above.lower():
                continue
            hits.append(Hit(path, node.lineno, _call_text(node)))
    return sorted(hits)


def import_violations(root: Path) -> list[Hit]:
    """Unexplained imports inside function bodies, outside tests and migrations."""
    return [
        hit
        for path, file in python_files(root)
        if not is_test_or_migration(path)
        for hit in function_imports_in(file.read_text(encoding="utf-8"), path)
    ]
