"""The names a body's official documents print (GB/T 9704): the issuing bodies of their
版头 and the bodies of their 版记. One place, so that the decision, the feedback and the
督办函 name the same office the same way.

- the leading group (领导小组): 中共河南省委巡视工作领导小组, the issuer of a decision;
- its office (办公室): 中共河南省委巡视工作领导小组办公室, the issuer of notices and 督办函 and
  the printer (印发机关) of everything the body sends out;
- a team: 中共河南省委第一巡视组, the issuer of its report and its feedback;
- the usual copies (抄送) of a document to an inspected organization: the body's discipline
  commission and organization department (省纪委监委, 省委组织部), who follow the
  rectification with the office.
"""

from __future__ import annotations

from .models import InspectingBody, Level

__all__ = ["group_name", "office_name", "team_issuer", "usual_copies"]


def group_name(body: InspectingBody) -> str:
    """中共河南省委巡视工作领导小组."""
    return f"{body.name}{body.work_word}工作领导小组"


def office_name(body: InspectingBody) -> str:
    """中共河南省委巡视工作领导小组办公室."""
    return f"{group_name(body)}办公室"


def team_issuer(body: InspectingBody, team_name: str) -> str:
    """中共河南省委第一巡视组."""
    return f"{body.name}{team_name}"


def usual_copies(body: InspectingBody) -> list[str]:
    """省纪委监委, 省委组织部 (市…, 县… below; a company's or university's own 纪委 and
    组织部)."""
    prefix = {Level.PROVINCE: "省", Level.CITY: "市", Level.COUNTY: "县"}.get(Level(body.level))
    if prefix:
        return [f"{prefix}纪委监委", f"{prefix}委组织部"]
    short = body.short_title.removesuffix("党委")
    return [f"{short}纪委", f"{short}党委组织部"]
