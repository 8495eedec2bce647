"""The cadre pools of the demo's bodies below the province: 开封市委's and its counties'.

``Locality`` is the province's pool generator (``pool.Province``) pointed at one city or
county: the same cadre, career, study and kin generators, with the body's own office
(开封市委巡察办, 兰考县委巡察办), its own organizations (the city's departments; the
county's departments, townships and villages) as homes, earlier posts and kin, and the
levels of a city or county (a city's team leader is 县处级, a county's 正科级). That is
enough for the avoidance rules to fire inside the body's own registry: same unit, a
township over its villages, worked there (a recent 驻村第一书记 among them), kin in a
village or a bureau, a former colleague of a township's 书记 who is in the pool, and origin
(a county cadre born in the county itself is barred from every township and village of
it). The people are fictitious.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from xunshi.registry import actions as reg

from .pool import NameMaker, Org, Post, Province, county_title, heads, level_of

__all__ = ["LocalPlace", "Locality", "town_word"]


def _table(text: str) -> list[list[str]]:
    return [cell.split(":") for cell in text.split()]


# (post, rank, leading) by level 2–6 for each kind of home below the province.
LOCAL_POSTS: dict[str, list[Post]] = {
    sector: [Post(p, r, lead == "1") for p, r, lead in _table(text)]
    for sector, text in {
        "city_department": "副局长:副处级:1 党组成员:副处级:1 三级调研员:三级调研员:0 "
        "科长:正科级:1 一级主任科员:一级主任科员:0 二级主任科员:二级主任科员:0 副科长:副科级:1 "
        "三级主任科员:三级主任科员:0 四级主任科员:四级主任科员:0 一级科员:一级科员:0 "
        "二级科员:二级科员:0",
        "county_department": "党组成员:正科级:1 一级主任科员:一级主任科员:0 "
        "二级主任科员:二级主任科员:0 副局长:副科级:1 三级主任科员:三级主任科员:0 "
        "四级主任科员:四级主任科员:0 股长:一级科员:1 一级科员:一级科员:0",
        "township": "镇人大主席:正科级:1 一级主任科员:一级主任科员:0 镇党委副书记:副科级:1 "
        "副镇长:副科级:1 镇党委委员、纪委书记:副科级:1 镇党委委员、组织委员:副科级:1 "
        "三级主任科员:三级主任科员:0 一级科员:一级科员:0",
    }.items()
}
# The chance of each level (2 … 6) of a cadre at home in each kind of unit.
LOCAL_LEVELS = {
    "city_department": (0.0, 0.22, 0.38, 0.26, 0.14),
    "county_department": (0.0, 0.0, 0.34, 0.42, 0.24),
    "township": (0.0, 0.0, 0.3, 0.5, 0.2),
}
VILLAGE_POSTS = ("村委会委员", "村报账员", "村民小组长", "村党支部委员", "村务监督委员会主任")


def town_word(name: str) -> str:
    """镇, 乡 or 街道: the word a township's posts are written with."""
    return "街道" if name.endswith("街道") else name[-1]


def _town_post(post: str, town: str) -> str:
    """A township post (written for a 镇) as the township calls it."""
    word = town_word(town)
    if word == "街道":
        for old, new in (
            ("镇人大主席", "街道人大工委主任"),
            ("镇党委", "街道党工委"),
            ("副镇长", "街道办事处副主任"),
            ("镇长", "街道办事处主任"),
            ("纪委书记", "纪工委书记"),
        ):
            post = post.replace(old, new)
        return post
    return post.replace("镇", word)


@dataclass(frozen=True)
class LocalPlace:
    """What a Locality needs of its body: the names, and the homes in its registry."""

    level: str  # city or county
    place: str  # 开封市, 兰考县
    region: str  # its GB/T 2260 code
    office: str  # 开封市委巡察办
    code_prefix: str  # of the pool's cadre codes: KF, LK, QX
    departments: tuple[Org, ...]
    townships: tuple[Org, ...] = ()
    villages: tuple[Org, ...] = ()


class Locality(Province):
    """The pool generator of one body below the province (see the module docstring)."""

    def __init__(self, rng: random.Random, place: LocalPlace, make: NameMaker) -> None:
        super().__init__(rng)
        self.make = make  # shared by the bodies below, so names and ID numbers stay unique
        self.here = place
        self.office = place.office
        self.lead_level = 3 if place.level == "city" else 4
        city = place.region[:4] + "00"
        self.near = [c for c in self.counties if c.city == city and c.code != place.region]
        self.local = [*place.departments, *place.townships]

    # --- the pool ---------------------------------------------------------------------------

    def local_pool(
        self, office_posts: Sequence[tuple[str, str]], sizes: dict[str, int], principals: int
    ) -> tuple[list[reg.CadreInput], dict[str, str]]:
        """The office's staff (post, rank), cadres at home in the departments and townships
        (`sizes` by ``department`` and ``township``), and `principals` heads of departments (a
        city) or townships' 书记 (a county) in the pool; returns the pool and unit → head."""
        rng, here = self.rng, self.here
        homes: list[tuple[str, Org | None]] = [("office", None)] * len(office_posts)
        # A township's cadres take the province's county track (skills, 挂职 aside).
        for kind, units, count in (
            ("department", here.departments, sizes.get("department", 0)),
            ("county", here.townships, sizes.get("township", 0)),
        ):
            spread = list(units) * (count // len(units)) if units else []
            homes += [(kind, o) for o in spread + rng.sample(list(units), count - len(spread))]
        led_units = here.townships if here.level == "county" else here.departments
        homes += [("principal", o) for o in rng.sample(list(led_units), principals)]
        inputs, heads_of = [], {}
        staff = iter(office_posts)
        for i, (kind, home) in enumerate(homes, start=1):
            code = f"{here.code_prefix}{i:04d}"
            if kind == "office":
                title, rank = next(staff)
                post = Post(title, rank, title != rank)
            elif kind == "principal":
                assert home is not None
                post = self._head_post(home)
                heads_of[home.code] = code
            else:
                assert home is not None
                post = self._post(kind, home)
            inputs.append(self._cadre(code, kind, home, post))
        return inputs, heads_of

    def _sector(self, org: Org) -> str:
        if org.sector == "township":
            return "township"
        return f"{self.here.level}_department"

    def _head_post(self, home: Org) -> Post:
        if home.sector == "township":
            word = town_word(home.name)
            title = "街道党工委书记" if word == "街道" else f"{word}党委书记"
            return Post(title, "正科级", True)
        return Post(heads(home.name)[0], "正处级" if self.here.level == "city" else "正科级", True)

    def _post(self, kind: str, home: Org) -> Post:
        sector = self._sector(home)
        level = self.rng.choices((2, 3, 4, 5, 6), LOCAL_LEVELS[sector])[0]
        return self._post_at(sector, level, home)

    def _post_at(self, sector: str, level: int, home: Org) -> Post:
        """A post of that level (or the nearest below it) in a unit of the body."""
        rows = LOCAL_POSTS[sector]
        at = [p for p in rows if level_of(p.rank) == level] or [
            p for p in rows if level_of(p.rank) >= level
        ][:3]
        p = self.rng.choice(at or rows[-2:])
        if p.post == "副局长":
            p = p._replace(post=heads(home.name)[1])
        if sector == "township":
            p = p._replace(post=_town_post(p.post, home.name))
        return p

    def _origin(self, home: Org | None) -> str:
        """Mostly a county of the same city; some of a county's own cadres were born there."""
        roll = self.rng.random()
        if self.here.level == "county" and roll < 0.15:
            return self.here.region
        if roll < 0.6 and self.near:
            return self.rng.choice(self.near).code
        return self.rng.choice(self.origins).code

    # --- spells and kin ---------------------------------------------------------------------

    def _earlier(
        self, kind: str, home: Org | None, level: int, start: dt.date, end: dt.date, origin: str
    ) -> reg.WorkInput:
        """An earlier spell: at home, in another unit of the body, or outside its registry."""
        rng = self.rng
        roll = rng.random()
        if home is not None and kind != "principal" and roll < 0.35:
            org = home
        elif roll < 0.65:
            org = rng.choice(self.local)
        else:
            return self._elsewhere(level, start, end)
        p = self._post_at(self._sector(org), max(level, 3), org)
        return reg.WorkInput(org.name, org.code, p.post, start, end, p.is_leader)

    def _elsewhere(self, level: int, start: dt.date, end: dt.date) -> reg.WorkInput:
        """A spell in a unit the body does not inspect: a county's bureau for the city, a
        neighbouring county's township for a county."""
        rng = self.rng
        county = rng.choice(self.near or self.counties)
        if self.here.level == "city":
            unit = county.name + rng.choice(("财政局", "发展和改革委员会", "农业农村局", "教育局"))
            head, deputy = heads(unit)
            title = (head, deputy, "股长", "股长", "科员")[max(0, min(level, 6) - 2)]
        else:
            unit = county.name + rng.choice(("城关镇", "红庙乡", "新集镇", "王店乡"))
            title = {4: _town_post("镇长", unit), 5: _town_post("副镇长", unit)}.get(level, "科员")
        return reg.WorkInput(unit, "", title, start, end, title != "科员")

    def _secondment(self) -> reg.WorkInput:
        """A recent 挂职: a county's cadre as a village's 驻村第一书记, a city's as 副县长."""
        rng = self.rng
        start = dt.date(rng.choice((2023, 2024)), rng.choice((3, 9)), 1)
        end = dt.date(start.year + 2, start.month, 1)
        if self.here.villages:
            village = rng.choice(self.here.villages)
            return reg.WorkInput(village.name, village.code, "驻村第一书记", start, end, True)
        county = rng.choice(self.near or self.counties)
        post = county_title("副县长（挂职）", county.name)
        return reg.WorkInput(county.name, county.code, post, start, end, True)

    def _principal_path(
        self, home: Org, start: dt.date | None, until: dt.date | None
    ) -> list[reg.WorkInput]:
        """A head's way up: the deputy of one unit of the body, then the head of another."""
        rng = self.rng
        assert start is not None and until is not None
        mid = max(
            dt.date(until.year - rng.randrange(3, 5), rng.randrange(1, 13), 1),
            dt.date(start.year + 1, 1, 1),
        )
        others = [o for o in self.local if o.code != home.code and o.sector == home.sector]
        first, second = rng.sample(others, 2)
        deputy = self._post_at(self._sector(first), 5 if self.here.level == "county" else 3, first)
        head = self._head_post(second)
        if second.sector == "township":
            head = head._replace(post=_town_post("镇长", second.name))
        return [
            reg.WorkInput(first.name, first.code, deputy.post, start, mid, True),
            reg.WorkInput(second.name, second.code, head.post, mid, until, True),
        ]

    def _kin_job(self, name: str, relation: str, in_scope: float, origin: str) -> reg.KinInput:
        """A relative's work: in a unit or village of the body's registry with the chance
        `in_scope`, otherwise somewhere the body does not inspect."""
        rng, place = self.rng, self.here.place
        if rng.random() >= in_scope:
            jobs = (
                f"{place}人民医院医生",
                f"{place}第一高级中学教师",
                f"{place}农村信用合作联社职员",
                "个体经营",
                "务农",
                "自由职业",
            )
            return reg.KinInput(name, relation, "", rng.choice(jobs))
        if self.here.villages and rng.random() < 0.5:
            village = rng.choice(self.here.villages)
            return reg.KinInput(
                name, relation, village.code, village.name, rng.choice(VILLAGE_POSTS)
            )
        org = rng.choice(self.local)
        post = rng.choice(("科员", "一级科员", "四级主任科员", "副股长"))
        return reg.KinInput(name, relation, org.code, org.name, post)
