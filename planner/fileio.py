"""Reading and writing the planning files of the format: `xunshi-round/1` and `xunshi-term/1`.

Reading is strict: an unknown key, a missing key, a wrong type or a dangling id is a
`FormatError` whose Chinese message names the place, e.g. "targets[3].workload 应为非负整数".
Term problems and plans are built into `planner.term`'s dataclasses by their field names (which
mirror the JSON keys), imported only when a term file is read.
"""

from __future__ import annotations

import dataclasses
import json
import types
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

from planner.round import (
    STATUSES,
    RoundCadre,
    RoundConflict,
    RoundPlan,
    RoundProblem,
    RoundTarget,
    TeamPlan,
)

__all__ = [
    "ROUND",
    "TERM",
    "FormatError",
    "dumps",
    "plan_from_json",
    "plan_to_json",
    "problem_from_json",
    "problem_to_json",
    "read_json",
]

ROUND, TERM = "xunshi-round/1", "xunshi-term/1"
TOP = "（文件顶层）"


class FormatError(ValueError):
    """A planning file that does not follow the format; the message says where, in Chinese."""


def read_json(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as error:
        raise FormatError(f"无法读取文件 {path}：{error.strerror}") from error
    except UnicodeDecodeError as error:
        raise FormatError(f"文件 {path} 不是 UTF-8 编码") from error
    except json.JSONDecodeError as error:
        raise FormatError(
            f"文件 {path} 不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列"
        ) from error
    return _mapping(data, TOP)


def dumps(data: Mapping[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


# -- checking pieces of JSON; `at` is the path shown in messages ---------------------------------


def _object(
    value: Any, at: str, required: Iterable[str], optional: Iterable[str] = ()
) -> dict[str, Any]:
    known = {*required, *optional}
    prefix = "" if at == TOP else f"{at}."
    for key in _mapping(value, at):
        if key not in known:
            raise FormatError(f"{prefix}{key} 是未知的键")
    for key in sorted(set(required)):
        if key not in value:
            raise FormatError(f"缺少 {prefix}{key}")
    return dict(value)


def _mapping(value: Any, at: str) -> dict[str, Any]:
    """A JSON object whose keys are data (skills, years, round ids), not field names."""
    if not isinstance(value, dict):
        raise FormatError(f"{at} 应为对象")
    return value


def _list(value: Any, at: str) -> list[Any]:
    if not isinstance(value, list):
        raise FormatError(f"{at} 应为数组")
    return value


def _str(value: Any, at: str) -> str:
    if not isinstance(value, str):
        raise FormatError(f"{at} 应为字符串")
    return value


def _int(value: Any, at: str, least: int = 0, most: int | None = None) -> int:
    if (
        not isinstance(value, int)
        or isinstance(value, bool)
        or value < least
        or (most is not None and value > most)
    ):
        wanted = {0: "非负整数", 1: "正整数"}.get(least, f"不小于 {least} 的整数")
        raise FormatError(f"{at} 应为{wanted if most is None else f' {least}–{most} 的整数'}")
    return value


def _number(value: Any, at: str) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise FormatError(f"{at} 应为数值")
    return value


def _strs(value: Any, at: str) -> tuple[str, ...]:
    return tuple(_str(item, f"{at}[{i}]") for i, item in enumerate(_list(value, at)))


def _counts(value: Any, at: str, least: int) -> tuple[tuple[str, int], ...]:
    return tuple((key, _int(v, f"{at}.{key}", least)) for key, v in _mapping(value, at).items())


def _unique(items: list[dict[str, Any]], at: str) -> dict[str, int]:
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        if item["id"] in seen:
            raise FormatError(f'{at}[{i}].id 与 {at}[{seen[item["id"]]}].id 重复（"{item["id"]}"）')
        seen[item["id"]] = i
    return seen


def _records(
    value: Any, at: str, fields: dict[str, Callable[[Any, str], Any]], optional: Iterable[str] = ()
) -> list[dict[str, Any]]:
    out = []
    for i, item in enumerate(_list(value, at)):
        where = f"{at}[{i}]"
        item = _object(item, where, set(fields) - set(optional), optional)
        out.append(
            {
                key: check(item[key], f"{where}.{key}")
                for key, check in fields.items()
                if key in item
            }
        )
    return out


# -- problems ------------------------------------------------------------------------------------


def problem_from_json(data: Mapping[str, Any]) -> Any:
    """A `RoundProblem` or a `planner.term.TermProblem`, by the file's "format"."""
    kind = _format(data)
    return _round_problem(dict(data)) if kind == ROUND else _term_problem(dict(data))


def _format(data: Mapping[str, Any]) -> str:
    kind = data.get("format") if isinstance(data, Mapping) else None
    if kind not in (ROUND, TERM):
        raise FormatError(f'format 应为 "{ROUND}" 或 "{TERM}"')
    return str(kind)


def _round_problem(data: dict[str, Any]) -> RoundProblem:
    keys = {
        "format",
        "name",
        "teams",
        "targets_per_team",
        "team_size",
        "team_skills",
        "max_per_team",
        "targets",
        "cadres",
        "conflicts",
    }
    _object(data, TOP, keys)
    size = _list(data["team_size"], "team_size")
    if len(size) != 2:
        raise FormatError("team_size 应为 [最少人数, 最多人数]")
    lo, hi = _int(size[0], "team_size[0]", 1), _int(size[1], "team_size[1]", 1)
    if lo > hi:
        raise FormatError("team_size[0] 应不大于 team_size[1]")
    targets = _records(
        data["targets"],
        "targets",
        {"id": _str, "name": _str, "sector": _str, "region": _str, "workload": _int},
    )
    cadres = _records(
        data["cadres"],
        "cadres",
        {"id": _str, "name": _str, "unit": _str, "can_lead": _bool, "skills": _strs},
    )
    conflicts = _records(
        data["conflicts"],
        "conflicts",
        {"cadre": _str, "target": _str, "rule": _str, "detail": _str},
    )
    target_ids, cadre_ids = _unique(targets, "targets"), _unique(cadres, "cadres")
    for i, c in enumerate(conflicts):
        if c["cadre"] not in cadre_ids:
            raise FormatError(f'conflicts[{i}].cadre 不是已知的干部 id（"{c["cadre"]}"）')
        if c["target"] not in target_ids:
            raise FormatError(f'conflicts[{i}].target 不是已知的对象 id（"{c["target"]}"）')
    return RoundProblem(
        name=_str(data["name"], "name"),
        teams=_int(data["teams"], "teams", 1),
        targets_per_team=_int(data["targets_per_team"], "targets_per_team", 1),
        team_size=(lo, hi),
        team_skills=_counts(data["team_skills"], "team_skills", 0),
        max_per_team=_counts(data["max_per_team"], "max_per_team", 0),
        targets=tuple(RoundTarget(**t) for t in targets),
        cadres=tuple(RoundCadre(**c) for c in cadres),
        conflicts=tuple(RoundConflict(**c) for c in conflicts),
    )


def _bool(value: Any, at: str) -> bool:
    if not isinstance(value, bool):
        raise FormatError(f"{at} 应为 true 或 false")
    return value


def _sectors(value: Any, at: str) -> tuple[str, ...] | None:
    return None if value is None else _strs(value, at)


def _term_problem(data: dict[str, Any]) -> Any:
    keys = {"format", "name", "rounds", "year_minimum", "max_sectors_per_round", "targets"}
    _object(data, TOP, keys)
    rounds = _records(
        data["rounds"], "rounds", {"id": _str, "year": _int, "capacity": _int, "sectors": _sectors}
    )
    round_ids = _unique(rounds, "rounds")
    targets = _records(
        data["targets"],
        "targets",
        {"id": _str, "sector": _str, "risk": _risk, "latest_round": _str},
        {"latest_round"},
    )
    _unique(targets, "targets")
    for i, t in enumerate(targets):
        if t.get("latest_round") not in (None, *round_ids):
            raise FormatError(
                f'targets[{i}].latest_round 不是已知的轮次 id（"{t["latest_round"]}"）'
            )
        t.setdefault("latest_round", None)
    minimum = _mapping(data["year_minimum"], "year_minimum")
    for year, count in minimum.items():
        if not (year.isdigit() and len(year) == 4):
            raise FormatError(f"year_minimum.{year} 的键应为四位年份")
        _int(count, f"year_minimum.{year}")
    checked = {
        "name": _str(data["name"], "name"),
        "rounds": rounds,
        "year_minimum": minimum,
        # null (no limit) is allowed as for a round's "sectors"
        "max_sectors_per_round": None
        if data["max_sectors_per_round"] is None
        else _int(data["max_sectors_per_round"], "max_sectors_per_round", 1),
        "targets": targets,
    }
    from planner.term import TermProblem

    return _build(TermProblem, checked)


def _risk(value: Any, at: str) -> int:
    return _int(value, at, 0, 100)


def problem_to_json(problem: Any) -> dict[str, Any]:
    if isinstance(problem, RoundProblem):
        out = {"format": ROUND, **_plain(problem)}
        out["team_skills"], out["max_per_team"] = (
            dict(problem.team_skills),
            dict(problem.max_per_team),
        )
        return out
    targets = []
    for t in problem.targets:
        targets.append({"id": t.id, "sector": t.sector, "risk": t.risk})
        if t.latest_round is not None:
            targets[-1]["latest_round"] = t.latest_round
    return {
        "format": TERM,
        "name": problem.name,
        "rounds": [
            {
                "id": r.id,
                "year": r.year,
                "capacity": r.capacity,
                "sectors": None if r.sectors is None else list(r.sectors),
            }
            for r in problem.rounds
        ],
        "year_minimum": {str(year): count for year, count in _pairs(problem.year_minimum)},
        "max_sectors_per_round": problem.max_sectors_per_round,
        "targets": targets,
    }


# -- plans ---------------------------------------------------------------------------------------


def plan_from_json(data: Mapping[str, Any]) -> Any:
    """A `RoundPlan` or a `planner.term.TermPlan`, by the file's "format"."""
    kind = _format(data)
    body = "teams" if kind == ROUND else "rounds"
    data = _object(
        dict(data),
        TOP,
        {"format", "status", "objective", "bound", "seconds", body},
        {"explanation", "solver"},
    )
    if data["status"] not in STATUSES:
        raise FormatError(f"status 应为 {'、'.join(STATUSES)} 之一")
    checked = {
        "status": data["status"],
        "objective": None if data["objective"] is None else _int(data["objective"], "objective"),
        "bound": None if data["bound"] is None else _number(data["bound"], "bound"),
        "seconds": float(_number(data["seconds"], "seconds")),
        "explanation": _strs(data.get("explanation", []), "explanation"),
        "solver": tuple(
            (k, _str(v, f"solver.{k}"))
            for k, v in _mapping(data.get("solver", {}), "solver").items()
        ),
    }
    if kind == ROUND:
        teams = _records(
            data["teams"], "teams", {"leader": _str, "members": _strs, "targets": _strs}
        )
        bound = checked["bound"]
        if bound is not None and bound != int(bound):
            raise FormatError("bound 应为整数")
        checked["bound"] = None if bound is None else int(bound)
        return RoundPlan(teams=tuple(TeamPlan(**t) for t in teams), **checked)
    rounds = _mapping(data["rounds"], "rounds")
    checked["rounds"] = {rid: _strs(ids, f"rounds.{rid}") for rid, ids in rounds.items()}
    from planner.term import TermPlan

    return _build(TermPlan, checked)


def plan_to_json(plan: Any) -> dict[str, Any]:
    is_round = isinstance(plan, RoundPlan)
    out: dict[str, Any] = {"format": ROUND if is_round else TERM}
    for key in ("status", "objective", "bound", "seconds"):
        out[key] = getattr(plan, key)
    if is_round:
        out["teams"] = [_plain(team) for team in plan.teams]
    else:
        out["rounds"] = {str(rid): list(ids) for rid, ids in _pairs(plan.rounds)}
    if getattr(plan, "explanation", ()):
        out["explanation"] = list(plan.explanation)
    if getattr(plan, "solver", ()):
        out["solver"] = {str(k): str(v) for k, v in _pairs(plan.solver)}
    return out


# -- between JSON values and dataclasses ---------------------------------------------------------


def _pairs(value: Any) -> list[tuple[Any, Any]]:
    return list(value.items() if isinstance(value, Mapping) else value)


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    return value


def _build(kind: Any, value: Any) -> Any:
    """`value` (checked JSON) as an instance of the type `kind`, following its type hints."""
    origin, args = get_origin(kind), get_args(kind)
    if dataclasses.is_dataclass(kind) and isinstance(kind, type):
        hints = get_type_hints(kind)
        return kind(
            **{
                f.name: _build(hints[f.name], value[f.name])
                for f in dataclasses.fields(kind)
                if f.name in value
            }
        )
    if origin in (Union, types.UnionType):
        if value is None:
            return None
        return _build(next(a for a in args if a is not type(None)), value)
    if origin is tuple:
        items = _pairs(value) if isinstance(value, Mapping) else list(value)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_build(args[0], v) for v in items)
        return tuple(_build(a, v) for a, v in zip(args, items, strict=True))
    if origin in (dict, Mapping) or (isinstance(origin, type) and issubclass(origin, Mapping)):
        key, val = args or (Any, Any)
        return {_build(key, k): _build(val, v) for k, v in _pairs(value)}
    whole = isinstance(value, float) and value.is_integer()
    if kind is int and (isinstance(value, str) or whole):
        return int(value)
    if kind is float and value is not None:
        return float(value)
    return value
