"""Read the code with `ast` and find every audit action it can record, or say where it cannot tell.

An event is written by `record` (`xunshi/audit/actions.py`), `download_record` or
`table_download` (`xunshi/audit/downloads.py`, recorded as `<object_type>.export`). The scanner
finds every call of the three under whatever name a module imported them, and resolves the
action it passes:

- a string, an f-string or a `+` of resolvable parts, `a if c else b`;
- a local variable: every value assigned to it in the function;
- a parameter of the function the call is in: the argument at every call of that function (in
  the same module for a `_private` one, anywhere under xunshi/ for a public one);
- an expression named in `expansions` (a job's kind: every `JobKind`).

Anything else is `unresolved`, with its place, so that a test fails on it rather than miss an
action: the scan cannot silently skip a call it does not understand.
"""

from __future__ import annotations

import ast
import itertools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

# The recording functions, by module, and how their action is found.
_WRITERS = {
    ("xunshi.audit.actions", "record"): "action",
    ("xunshi.audit.downloads", "download_record"): "action",
    ("xunshi.audit.downloads", "table_download"): "object_type",
}
# The writers' own bodies pass their parameter on; their callers are scanned instead.
_WRAPPERS = {
    ("xunshi/audit/downloads.py", "download_record"),
    ("xunshi/audit/downloads.py", "table_download"),
}


@dataclass(frozen=True, order=True)
class Place:
    path: str
    line: int
    source: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}  {self.source}"


@dataclass
class Scan:
    actions: dict[str, list[Place]] = field(default_factory=dict)
    unresolved: list[Place] = field(default_factory=list)
    object_types: dict[str, list[Place]] = field(default_factory=dict)


class _Unresolved(Exception):
    def __init__(self, node: ast.AST) -> None:
        super().__init__(ast.unparse(node))
        self.node = node


@dataclass
class _Module:
    path: str
    dotted: str
    tree: ast.Module
    parents: dict[ast.AST, ast.AST]
    writers: dict[str, str]  # local name -> the keyword holding the action
    functions: dict[str, ast.FunctionDef]


def _dotted(path: str) -> str:
    return path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")


def _absolute(module: _Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.dotted.split(".")
    if not module.path.endswith("__init__.py"):
        package = package[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _load(root: Path, path: str) -> _Module:
    tree = ast.parse((root / path).read_text(encoding="utf-8"), filename=path)
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    module = _Module(path, _dotted(path), tree, parents, {}, {})
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            for alias in node.names:
                if (source, alias.name) in _WRITERS:
                    module.writers[alias.asname or alias.name] = _WRITERS[source, alias.name]
        elif isinstance(node, ast.FunctionDef) and isinstance(parents.get(node), ast.Module):
            module.functions[node.name] = node
    # A writer called in its own module (views.py calls record imported from .actions).
    for (dotted, name), keyword in _WRITERS.items():
        if module.dotted == dotted and name in module.functions:
            module.writers[name] = keyword
    return module


def _function_of(module: _Module, node: ast.AST) -> ast.FunctionDef | None:
    while node in module.parents:
        node = module.parents[node]
        if isinstance(node, ast.FunctionDef):
            return node
    return None


def _called_name(call: ast.Call) -> str | None:
    return call.func.id if isinstance(call.func, ast.Name) else None


class _Resolver:
    def __init__(self, modules: list[_Module], expansions: Mapping[tuple[str, str], Iterable[str]]):
        self.modules = modules
        self.expansions = {key: sorted(values) for key, values in expansions.items()}

    def calls_of(self, module: _Module, name: str) -> Iterable[tuple[_Module, ast.Call]]:
        scope = [module] if name.startswith("_") else self.modules
        for mod in scope:
            for node in ast.walk(mod.tree):
                if isinstance(node, ast.Call) and _called_name(node) == name:
                    yield mod, node

    def resolve(self, module: _Module, node: ast.expr, depth: int = 0) -> set[str]:
        if depth > 8:
            raise _Unresolved(node)
        key = (module.path, ast.unparse(node))
        if key in self.expansions:
            return set(self.expansions[key])
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.JoinedStr):
            parts: list[set[str]] = []
            for part in node.values:
                if isinstance(part, ast.FormattedValue):
                    if part.format_spec is not None or part.conversion != -1:
                        raise _Unresolved(part)
                    parts.append(self.resolve(module, part.value, depth + 1))
                else:
                    parts.append(self.resolve(module, part, depth + 1))
            return {"".join(p) for p in itertools.product(*parts)}
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.resolve(module, node.left, depth + 1)
            right = self.resolve(module, node.right, depth + 1)
            return {a + b for a in left for b in right}
        if isinstance(node, ast.IfExp):
            return self.resolve(module, node.body, depth + 1) | self.resolve(
                module, node.orelse, depth + 1
            )
        if isinstance(node, ast.Name):
            return self._name(module, node, depth)
        raise _Unresolved(node)

    def _name(self, module: _Module, node: ast.Name, depth: int) -> set[str]:
        function = _function_of(module, node)
        if function is None:
            raise _Unresolved(node)
        assigned = [
            a.value
            for a in ast.walk(function)
            if isinstance(a, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == node.id for t in a.targets)
        ]
        if assigned:
            return set().union(*(self.resolve(module, value, depth + 1) for value in assigned))
        args = function.args
        positional = [a.arg for a in args.posonlyargs + args.args]
        if node.id not in positional and node.id not in [a.arg for a in args.kwonlyargs]:
            raise _Unresolved(node)
        found: set[str] = set()
        calls = list(self.calls_of(module, function.name))
        if not calls:
            raise _Unresolved(node)
        for mod, call in calls:
            value = next((k.value for k in call.keywords if k.arg == node.id), None)
            if value is None and node.id in positional:
                index = positional.index(node.id)
                if index < len(call.args) and not any(
                    isinstance(a, ast.Starred) for a in call.args[: index + 1]
                ):
                    value = call.args[index]
            if value is None:
                raise _Unresolved(call)
            found |= self.resolve(mod, value, depth + 1)
        return found


def scan(
    root: Path,
    *,
    expansions: Mapping[tuple[str, str], Iterable[str]] | None = None,
    include: Callable[[str], bool] | None = None,
) -> Scan:
    """Every action recorded under root/xunshi outside the tests, with where it is recorded."""
    paths = sorted(
        f.relative_to(root).as_posix()
        for f in (root / "xunshi").rglob("*.py")
        if "tests" not in f.relative_to(root).parts[:-1]
        and "migrations" not in f.relative_to(root).parts[:-1]
        and "testsupport" not in f.relative_to(root).parts
    )
    if include is not None:
        paths = [p for p in paths if include(p)]
    modules = [_load(root, p) for p in paths]
    resolver = _Resolver(modules, expansions or {})
    out = Scan()
    for module in modules:
        for node in ast.walk(module.tree):
            if not (isinstance(node, ast.Call) and _called_name(node) in module.writers):
                continue
            name = _called_name(node)
            assert name is not None
            function = _function_of(module, node)
            if function is not None and (module.path, function.name) in _WRAPPERS:
                continue
            place = Place(module.path, node.lineno, ast.unparse(node.func))
            keyword = module.writers[name]
            value = next((k.value for k in node.keywords if k.arg == keyword), None)
            try:
                if value is None:
                    raise _Unresolved(node)
                found = resolver.resolve(module, value)
            except _Unresolved as missed:
                out.unresolved.append(
                    Place(module.path, getattr(missed.node, "lineno", node.lineno), str(missed))
                )
                continue
            if keyword == "object_type":
                for object_type in found:
                    out.object_types.setdefault(object_type, []).append(place)
                found = {f"{t}.export" for t in found}
            else:
                given = next((k.value for k in node.keywords if k.arg == "object_type"), None)
                if given is not None:
                    try:
                        for object_type in resolver.resolve(module, given):
                            out.object_types.setdefault(object_type, []).append(place)
                    except _Unresolved as missed:
                        out.unresolved.append(Place(module.path, node.lineno, str(missed)))
            for action in found:
                out.actions.setdefault(action, []).append(place)
    return out
