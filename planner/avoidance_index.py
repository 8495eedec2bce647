"""Candidate pairs for avoidance at scale: only the pairs that can possibly hit.

Every avoidance rule needs the cadre and the target to share something: an organization code
(the cadre's unit, a unit the cadre worked or studied at, a kin's unit, the cadre's parent unit
against the target; the cadre's unit against the target's parent), a region code, a unit where
one of the target's leaders worked, or the target's last-inspection roster. Indexing the targets
by each of these lets ``evaluate_all`` visit those pairs only, so the work grows with the number
of hits instead of with cadres × targets. The index may offer a pair that turns out to have no
hit; it must never miss one, and ``planner.avoidance.evaluate`` decides.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from planner.avoidance import AvoidanceRules, CadreFacts, TargetFacts

__all__ = ["candidate_pairs", "region_keys"]

# Sectors whose region code is finer than a county's (9-digit township, 12-digit village codes).
_SUB_COUNTY_SECTORS = frozenset({"township", "village"})


def region_keys(
    sector: str, region_code: str | None, origin_sectors: frozenset[str]
) -> tuple[str, ...]:
    """The origin region codes that put a cadre under the origin rule for this target."""
    if region_code is None or sector not in origin_sectors:
        return ()
    if sector in _SUB_COUNTY_SECTORS and len(region_code) > 6:
        return (region_code, region_code[:6])
    return (region_code,)


def candidate_pairs(
    cadres: Sequence[CadreFacts], targets: Sequence[TargetFacts], rules: AvoidanceRules
) -> Iterator[tuple[CadreFacts, TargetFacts]]:
    """Each (cadre, target) pair that may have a hit, cadres and targets in the order given."""
    _refuse_duplicates("巡视干部", [c.code for c in cadres])
    _refuse_duplicates("被巡视单位", [t.code for t in targets])
    by_code: dict[str, list[int]] = defaultdict(list)  # target's own code
    by_parent: dict[str, list[int]] = defaultdict(list)
    by_region: dict[str, list[int]] = defaultdict(list)
    by_leader_org: dict[str, list[int]] = defaultdict(list)
    by_last_cadre: dict[str, list[int]] = defaultdict(list)
    for i, target in enumerate(targets):
        by_code[target.code].append(i)
        if target.parent_code is not None:
            by_parent[target.parent_code].append(i)
        if "origin" in rules.enabled:
            for key in region_keys(target.sector, target.region_code, rules.origin_sectors):
                by_region[key].append(i)
        if "former_colleague" in rules.enabled:
            for org in {w.org_code for leader in target.leaders for w in leader.work}:
                if org is not None:
                    by_leader_org[org].append(i)
        for code in set(target.last_inspection_cadres):
            by_last_cadre[code].append(i)

    for cadre in cadres:
        orgs = {cadre.unit_code, cadre.unit_parent_code}
        orgs.update(w.org_code for w in cadre.work)
        orgs.update(s.org_code for s in cadre.study)
        orgs.update(k.org_code for k in cadre.kin)
        found: set[int] = set(by_last_cadre.get(cadre.code, ()))
        for org in orgs:
            if org is not None:
                found.update(by_code.get(org, ()))
        if cadre.unit_code is not None:
            found.update(by_parent.get(cadre.unit_code, ()))
        if cadre.origin_region is not None:
            found.update(by_region.get(cadre.origin_region, ()))
        for w in cadre.work:
            if w.org_code is not None:
                found.update(by_leader_org.get(w.org_code, ()))
        for i in sorted(found):
            yield cadre, targets[i]


def _refuse_duplicates(what: str, codes: list[str]) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise ValueError(f"{what}代码“{code}”重复出现。")
        seen.add(code)
