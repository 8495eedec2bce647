"""The people of the demo province: its data read from ``data/`` and the pool of 600.

``Province`` reads the CSV files (see the README there) into the organizations in scope, keyed
by code, and makes the cadre pool from them with a seeded ``random.Random``: 40 staff of the
office; 260 cadres of the departments, 50 of the SOEs and 70 of the universities; 180 county
leaders, 32 of whom are a county's 书记 (the county's ``principal``). Each cadre has 2–5 work
spells rising from 科员 to the current post (some in scope, some in city bureaus outside it,
a recent 挂职 in a county for some), one or two study spells (many at Henan universities, or
the 省委党校) and kin, a few of whom work in scope. That is enough for every avoidance rule to
fire somewhere: origin county, same unit, superior unit, studied, kin, worked there, and
former colleague of a county's 书记. The people are fictitious.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from xunshi.lib.ids import make_id_number
from xunshi.registry import actions as reg

__all__ = ["OFFICE", "NameMaker", "Org", "Post", "Province", "county_title", "heads", "level_of"]


def _words(text: str) -> list[str]:
    return text.split()


def _table(text: str) -> list[list[str]]:
    """Rows of colon-separated cells, separated by spaces: a compact literal for small tables."""
    return [cell.split(":") for cell in text.split()]


OFFICE = "省委巡视办"
DATA = Path(__file__).resolve().parent / "data"
SKILLS = _words(
    "纪检监察 组织人事 财务审计 法律 信访 文字综合 工程建设 金融 教育 医疗卫生 农业农村 国资国企"
)

# Leadership grades and 职级 on one scale, 0 = 正厅, 6 = 科员 or no rank.
LEVEL = {
    rank: int(level)
    for rank, level in _table(
        "正厅级:0 一级巡视员:0 副厅级:1 二级巡视员:1 正处级:2 一级调研员:2 二级调研员:2 副处级:3 "
        "三级调研员:3 四级调研员:3 正科级:4 一级主任科员:4 二级主任科员:4 副科级:5 "
        "三级主任科员:5 四级主任科员:5"
    )
}
# The chance of each level 1–5 for a cadre of the pool, by where he or she works now.
POOL_LEVELS = {
    "department": (0.18, 0.33, 0.24, 0.13, 0.12),
    "soe": (0.22, 0.36, 0.26, 0.0, 0.16),
    "university": (0.14, 0.40, 0.26, 0.05, 0.15),
    "county": (0.0, 0.10, 0.78, 0.12, 0.0),
}
# The office's 40: its heads, the full-time team leaders, and the staff.
OFFICE_POSTS = [
    (post, rank)
    for post, rank, n in _table(
        "省委巡视办主任:正厅级:1 省委巡视办副主任:副厅级:3 巡视组组长:正厅级:8 巡视专员:正厅级:3 "
        "巡视组副组长:副厅级:4 处长:正处级:6 副处长:副处级:6 一级调研员:一级调研员:1 "
        "二级调研员:二级调研员:1 三级调研员:三级调研员:1 四级调研员:四级调研员:1 "
        "一级主任科员:一级主任科员:1 二级主任科员:二级主任科员:1 三级主任科员:三级主任科员:1 "
        "四级主任科员:四级主任科员:1 一级科员:一级科员:1"
    )
    for _ in range(int(n))
]
COUNTY_PRINCIPALS = 32  # counties whose 书记 is in the pool, so former_colleague can fire
CITY_UNITS = _words(
    "市委组织部 市财政局 市发展改革委 市委办公室 市纪委监委 市审计局 市教育局 市住房城乡建设局 "
    "市农业农村局 市政府办公室 市委宣传部"
)
COMMISSION_ROOMS = _words("第一监督检查室 第三监督检查室 第二审查调查室 党风政风监督室 案件审理室")
TOWNS = _words("城关镇 北关镇 南湖乡 红旗镇 新集镇 李庄乡 王店镇 高庙乡 黄集乡")
OTHER_SCHOOLS = _words(
    "武汉大学 中国人民大学 北京师范大学 华中科技大学 西安交通大学 中南财经政法大学 南开大学 "
    "山东大学 吉林大学 兰州大学 西北政法大学"
)
KIN_JOBS = _words(
    "郑州市第一中学教师 郑州市中心医院医生 中国银行河南省分行职员 国网河南省电力公司职员 "
    "中国移动河南公司职员 个体经营 郑州市税务局干部 郑州宇通客车股份有限公司职员 "
    "河南省肿瘤医院护士 洛阳市第二人民医院医生 务农 自由职业"
)
# A department's main skill, by a word in its name.
SKILL_BY_WORD = _table(
    "财政:财务审计 审计:财务审计 统计:财务审计 组织:组织人事 编:组织人事 人力:组织人事 司法:法律 "
    "法院:法律 检察:法律 政法:法律 公安:法律 信访:信访 住房:工程建设 交通:工程建设 水利:工程建设 "
    "自然资源:工程建设 金融:金融 教育:教育 卫生:医疗卫生 医:医疗卫生 药:医疗卫生 农:农业农村 "
    "乡村:农业农村 林业:农业农村 粮食:农业农村 供销:农业农村 国有资产:国资国企 办公厅:文字综合 "
    "研究:文字综合"
)
# The heads of organizations are not in the pool (a few counties' 书记 aside, see pool()).
HEAD_POSTS = frozenset(
    _words("厅长 主任 局长 党组书记 党委书记 校长 党委书记、董事长 县委书记 村党支部书记")
)
# A department's head and deputy, by how its name ends (the first match wins).
HEAD_TITLES = _table(
    "办公厅:主任:副主任 团河南省委员会:书记:副书记 政法委员会:书记:副书记 工作委员会:书记:副书记 "
    "机关:秘书长:副秘书长 部:部长:副部长 厅:厅长:副厅长 委员会:主任:副主任 局:局长:副局长 "
    "室:主任:副主任 法院:院长:副院长 检察院:检察长:副检察长 红十字会:会长:副会长 会:主席:副主席 "
    "总社:理事会主任:理事会副主任 党校:常务副校长:副校长 院:院长:副院长 馆:馆长:副馆长 "
    "集团:社长:副社长 台:台长:副台长"
)


class Org(NamedTuple):
    code: str
    name: str
    short: str
    sector: str  # city, county, department, soe, university (people_org counts as department)
    kind: str  # the CSV's kind of a department or university
    city: str  # region code of the city it belongs to or sits in
    tags: tuple[str, ...]


class Post(NamedTuple):
    post: str
    rank: str
    is_leader: bool


def read_csv(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def level_of(rank: str) -> int:
    return LEVEL.get(rank, 6)


def heads(name: str) -> tuple[str, str]:
    """The (head, deputy) titles of a provincial department, by how its name ends."""
    for suffix, head, deputy in HEAD_TITLES:
        if name.endswith(suffix):
            return head, deputy
    return "主任", "副主任"


def county_title(post: str, county: str) -> str:
    """Posts are written for a 县; a 区 or 县级市 has 区委 / 市长 instead."""
    return post.replace("县", county[-1]) if county[-1] in "区市" else post


@dataclass
class NameMaker:
    rng: random.Random
    surnames: tuple[list[str], list[int]]
    given: dict[str, tuple[list[str], list[int]]]
    used_names: set[str] = field(default_factory=set)
    used_ids: set[str] = field(default_factory=set)

    def name(self, gender: str, surname: str = "", *, unique: bool = False) -> str:
        values, weights = self.given["given_male" if gender == "男" else "given_female"]
        while True:
            sur = surname or self.rng.choices(*self.surnames)[0]
            chars = self.rng.choices(values, weights, k=1 if self.rng.random() < 0.3 else 2)
            name = sur + "".join(dict.fromkeys(chars))
            if not unique or name not in self.used_names:
                self.used_names.add(name)
                return name

    def id_number(self, region: str, birth: dt.date, gender: str) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (gender == "男")
            number = make_id_number(region, birth, seq)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number


class Province:
    """The CSV data, the organizations made from it, and the generator of the pool.

    A body below the province (``xunshi.demo.local_pool.Locality``) makes its pool with the
    same cadre, career, study and kin generators, through the hooks: the office's name, the
    lowest level whose cadres may lead a team (``lead_level``), and the spells and kin that
    differ by place (``_secondment``, ``_earlier``, ``_principal_path``, ``_kin_job``).
    """

    office = OFFICE
    lead_level = 1  # 副厅 and above may lead a team

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        names = read_csv("names.csv")
        pick = {
            k: (
                [r["value"] for r in names if r["kind"] == k],
                [int(r["weight"]) for r in names if r["kind"] == k],
            )
            for k in ("surname", "given_male", "given_female")
        }
        self.make = NameMaker(rng, pick.pop("surname"), pick)
        self.posts: dict[str, list[Post]] = {}
        for r in read_csv("posts.csv"):
            self.posts.setdefault(r["sector"], []).append(
                Post(r["post"], r["rank"], r["is_leader"] == "1")
            )
        self.divisions = read_csv("henan_divisions.csv")
        self.orgs: dict[str, Org] = {}
        for r in self.divisions:
            if r["level"] != "province":
                tags = tuple(t for t in r["tags"].split(";") if t)
                sector = r["level"]
                city = r["parent_code"] if sector == "county" else r["code"]
                self.orgs[r["code"]] = Org(r["code"], r["name"], "", sector, "", city, tags)
        for file, sector in (
            ("henan_departments.csv", "department"),
            ("henan_soes.csv", "soe"),
            ("henan_universities.csv", "university"),
        ):
            for r in read_csv(file):
                self.orgs[r["code"]] = Org(
                    r["code"],
                    r["name"],
                    r["short_name"],
                    sector,
                    r.get("kind", ""),
                    r["city_code"],
                    (),
                )
        self.by_sector: dict[str, list[Org]] = {}
        for org in self.orgs.values():
            self.by_sector.setdefault(org.sector, []).append(org)
        self.counties = self.by_sector["county"]
        # 济源 is a county-level city under the province: an origin and a place to work in.
        self.origins = [*self.counties, self.orgs["419001"]]

    # --- the pool ---------------------------------------------------------------------------

    def pool(self) -> tuple[list[reg.CadreInput], dict[str, str]]:
        """The 600 cadres, and the counties whose 书记 is one of them (county → cadre code)."""
        rng = self.rng
        homes: list[tuple[str, Org | None]] = [("office", None)] * len(OFFICE_POSTS)
        for sector, count in (("department", 260), ("soe", 50), ("university", 70)):
            orgs = self.by_sector[sector]
            spread = orgs * (count // len(orgs)) + rng.sample(orgs, count % len(orgs))
            homes += [(sector, o) for o in spread]
        led = rng.sample(self.counties, COUNTY_PRINCIPALS)
        homes += [("principal", o) for o in led]
        homes += [("county", o) for o in rng.sample(self.counties, 180 - COUNTY_PRINCIPALS)]
        inputs, principals = [], {}
        office_posts = iter(OFFICE_POSTS)
        for i, (kind, home) in enumerate(homes, start=1):
            code = f"C{i:04d}"
            if kind == "office":
                title, rank = next(office_posts)
                post = Post(title, rank, title != rank)  # a 职级 is not a leading post
            elif kind == "principal":
                assert home is not None
                post = Post(county_title("县委书记", home.name), "正处级", True)
                principals[home.code] = code
            else:
                assert home is not None
                post = self._post(kind, home)
            inputs.append(self._cadre(code, kind, home, post))
        return inputs, principals

    def _post(self, kind: str, home: Org) -> Post:
        level = self.rng.choices((1, 2, 3, 4, 5), POOL_LEVELS[kind])[0]
        if kind in ("soe", "university") and level == 5:
            level = 6  # 业务员, 教授: no rank
        return self._post_at(kind, level, home)

    def _post_at(self, sector: str, level: int, home: Org) -> Post:
        """A post of that level in the home organization, its title fitted to the unit."""
        rows = [
            p for p in self.posts[sector] if level_of(p.rank) == level and p.post not in HEAD_POSTS
        ]
        if not rows:
            rows = [p for p in self.posts[sector] if level_of(p.rank) >= level][-3:]
        p = self.rng.choice(rows)
        if sector == "department" and p.post in ("副厅长", "副主任", "副局长"):
            p = p._replace(post=heads(home.name)[1])
        elif sector == "department" and p.post == "驻厅纪检监察组组长":
            p = p._replace(post=f"省纪委监委驻{home.short or home.name}纪检监察组组长")
        elif sector == "county":
            p = p._replace(post=county_title(p.post, home.name))
        return p

    def _cadre(self, code: str, kind: str, home: Org | None, post: Post) -> reg.CadreInput:
        rng, level = self.rng, level_of(post.rank)
        gender = "男" if rng.random() < (0.8 if level <= 2 else 0.6) else "女"
        born_from = {0: 1965, 1: 1966, 2: 1968, 3: 1972}.get(level, 1976)
        birth = dt.date(
            rng.randrange(born_from, born_from + 10 if level < 4 else 1986),
            rng.randrange(1, 13),
            rng.randrange(1, 29),
        )
        origin = self._origin(home)
        first_year = 2020 if kind == "principal" else 2016 if level <= 1 else 2013
        since = dt.date(rng.randrange(first_year, 2024), rng.randrange(1, 13), 1)
        unit_name = home.name if home else self.office
        current = reg.WorkInput(
            unit_name, home.code if home else "", post.post, since, None, post.is_leader
        )
        name = self.make.name(gender, unique=True)
        return reg.CadreInput(
            code=code,
            name=name,
            gender=gender,
            id_number=self.make.id_number(origin, birth, gender),
            unit_name=unit_name,
            rank=post.rank,
            unit_code=home.code if home else "",
            post=post.post,
            skills=self._skills(kind, home),
            can_lead=level <= self.lead_level,
            origin_code=origin,
            work=self._career(kind, home, birth, current, level, origin),
            study=self._study(kind, home, birth),
            kin=self._kin(name, gender, birth, origin),
        )

    def _origin(self, home: Org | None) -> str:
        """Mostly a county of Henan; county cadres never serve in their home city."""
        rng = self.rng
        if rng.random() < 0.2:
            return rng.choice(self.by_sector["city"]).code
        while True:
            origin = rng.choice(self.origins)
            if home is None or home.sector != "county" or origin.city != home.city:
                return origin.code

    def _skills(self, kind: str, home: Org | None) -> tuple[str, ...]:
        rng = self.rng
        first = {
            "office": rng.choice(("纪检监察", "纪检监察", "文字综合", "信访", "组织人事")),
            "soe": "国资国企",
            "university": "教育",
            "county": "农业农村",
            "principal": "组织人事",
        }.get(kind, "")
        if kind == "department" and home is not None:
            first = next(
                (s for w, s in SKILL_BY_WORD if w in home.name),
                rng.choice(("文字综合", "组织人事", "财务审计", "纪检监察")),
            )
        extra = rng.sample(SKILLS, rng.choice((0, 1, 1, 2)))
        return tuple(dict.fromkeys([first, *extra]))

    def _career(
        self,
        kind: str,
        home: Org | None,
        birth: dt.date,
        current: reg.WorkInput,
        level: int,
        origin: str,
    ) -> tuple[reg.WorkInput, ...]:
        """2–5 spells: earlier, lower posts from the first job up to the current one."""
        rng = self.rng
        assert current.start is not None
        first = birth.year + rng.choice((22, 23, 25))
        years = list(range(first + 2, current.start.year))
        most = 2 if kind == "principal" else 3
        cuts = rng.sample(years, min(len(years), rng.randint(len(years) >= 15, most)))
        starts = [dt.date(first, 7, 1)]
        starts += [dt.date(y, rng.randrange(1, 13), 1) for y in sorted(cuts)]
        ends = [*starts[1:], current.start]
        # From 科员 at the first job up to one step below the current post, by mid-spell.
        career = (current.start - starts[0]).days
        spells = []
        for s, e in zip(starts, ends, strict=True):
            mid = ((s - starts[0]).days + (e - starts[0]).days) / 2 / career
            spells.append(
                self._earlier(kind, home, 6 - round((5 - min(5, level)) * mid), s, e, origin)
            )
        if kind == "principal":
            assert home is not None
            spells[-1:] = self._principal_path(home, spells[-1].start, current.start)
        spells.append(current)
        if (
            kind in ("office", "department")
            and 2 <= level <= 4
            and rng.random() < 0.2
            and len(spells) < 5
        ):
            spells.append(self._secondment())
        return tuple(spells)

    def _secondment(self) -> reg.WorkInput:
        """A recent 挂职 in a county, while keeping the post at home."""
        rng = self.rng
        county = rng.choice(self.counties)
        start = dt.date(rng.choice((2022, 2023)), rng.choice((3, 9)), 1)
        post = county_title("副县长（挂职）", county.name)
        return reg.WorkInput(
            county.name, county.code, post, start, dt.date(start.year + 2, start.month, 1), True
        )

    def _principal_path(
        self, home: Org, start: dt.date | None, until: dt.date | None
    ) -> list[reg.WorkInput]:
        """A 书记's way up: a department's 处长, then 县长 of a county of the same city."""
        rng = self.rng
        assert start is not None and until is not None
        dept = rng.choice(self.by_sector["department"])
        mid = max(
            dt.date(until.year - rng.randrange(3, 5), rng.randrange(1, 13), 1),
            dt.date(start.year + 1, 1, 1),
        )
        near = [c for c in self.counties if c.city == home.city and c.code != home.code]
        county = rng.choice(near or self.counties)
        return [
            reg.WorkInput(dept.name, dept.code, "处长", start, mid, True),
            reg.WorkInput(
                county.name, county.code, county_title("县长", county.name), mid, until, True
            ),
        ]

    def _earlier(
        self, kind: str, home: Org | None, level: int, start: dt.date, end: dt.date, origin: str
    ) -> reg.WorkInput:
        """One earlier spell: at home, in another organization in scope, or outside scope."""
        rng = self.rng
        roll = rng.random()
        # Outside the county track, many began in the city they come from.
        city = self.orgs[origin].city if home is None or home.city == "410100" else home.city
        if home is not None and kind != "principal" and roll < 0.35:
            org = home
        elif roll < 0.5:
            org = rng.choice(
                self.by_sector[kind if kind in ("soe", "university") else "department"]
            )
        elif roll < 0.62 and kind not in ("soe", "university"):
            org = rng.choice([c for c in self.counties if c.city == city] or self.counties)
        else:
            return self._outside(kind, city, level, start, end)
        if org.sector == "county" and level >= 4 and rng.random() < 0.6:
            town = org.name + rng.choice(TOWNS)
            word = town[-1]
            title = {
                4: rng.choice((f"{word}党委书记", f"{word}长")),
                5: rng.choice((f"副{word}长", f"{word}党委副书记")),
            }.get(level, "科员")
            return reg.WorkInput(town, org.code, title, start, end, title != "科员")
        p = self._post_at(org.sector, max(level, 2 if org.sector == "county" else 1), org)
        return reg.WorkInput(org.name, org.code, p.post, start, end, p.is_leader)

    def _outside(
        self, kind: str, city: str, level: int, start: dt.date, end: dt.date
    ) -> reg.WorkInput:
        """A spell in a unit the province does not inspect (a city bureau, the commission)."""
        rng = self.rng
        if kind == "office" and rng.random() < 0.6:
            unit = "省纪委监委" + rng.choice(COMMISSION_ROOMS)
        else:
            unit = self.orgs[city].name + rng.choice(CITY_UNITS)[1:]
        head, deputy = heads(unit)
        title = (head, deputy, "科长", "副科长", "科员")[max(0, min(level, 6) - 2)]
        return reg.WorkInput(unit, "", title, start, end, title != "科员")

    def _study(self, kind: str, home: Org | None, birth: dt.date) -> tuple[reg.StudyInput, ...]:
        rng = self.rng
        start = dt.date(birth.year + 18, 9, 1)
        universities = self.by_sector["university"]
        if kind == "university" and home is not None and rng.random() < 0.4:
            school: Org | None = home
        elif rng.random() < 0.42:
            school = rng.choice(universities[:12] * 3 + universities)
        else:
            school = None
        name = school.name if school else rng.choice(OTHER_SCHOOLS)
        degree = "大学专科" if school and school.kind == "专科" else "大学本科"
        spells = [
            reg.StudyInput(
                name, school.code if school else "", degree, start, dt.date(start.year + 4, 7, 1)
            )
        ]
        if rng.random() < 0.25:  # part-time, at the Party school or a big university
            later = dt.date(birth.year + rng.randrange(28, 38), 9, 1)
            school = self.orgs["D071"] if rng.random() < 0.5 else rng.choice(universities[:6])
            degree = "在职研究生" if school.code == "D071" else "在职硕士研究生"
            done = dt.date(later.year + 3, 7, 1)
            spells.append(reg.StudyInput(school.name, school.code, degree, later, done))
        return tuple(spells)

    def _kin(self, name: str, gender: str, birth: dt.date, origin: str) -> tuple[reg.KinInput, ...]:
        """Spouse, parents, children, siblings and in-laws; some work in scope."""
        rng, make = self.rng, self.make
        other = "女" if gender == "男" else "男"
        spouse = make.name(other)
        kids_surname = name[0] if gender == "男" else spouse[0]
        kin = []
        if rng.random() < 0.95:
            kin.append(self._kin_job(spouse, "spouse", 0.14, origin))
        if rng.random() < 0.5:
            kin.append(reg.KinInput(make.name("男", name[0]), "father", "", "退休"))
        if rng.random() < 0.6:
            kin.append(
                reg.KinInput(make.name("女"), "mother", "", rng.choice(("退休", "务农", "无")))
            )
        for n in range(1 + (rng.random() < 0.2)):
            kid_gender = rng.choice("男女")
            relation = "son" if kid_gender == "男" else "daughter"
            kid = make.name(kid_gender, kids_surname)
            if birth.year + 27 + 3 * n <= 2001:
                kin.append(self._kin_job(kid, relation, 0.12, origin))
            else:
                kin.append(reg.KinInput(kid, relation, "", "在读", "学生"))
        for _ in range(rng.choice((0, 1, 1, 2))):
            kin.append(
                self._kin_job(make.name(rng.choice("男女"), name[0]), "sibling", 0.16, origin)
            )
        if rng.random() < 0.25:
            kin.append(
                self._kin_job(
                    make.name(rng.choice("男女"), spouse[0]), "sibling_in_law", 0.12, origin
                )
            )
        return tuple(kin)

    def _kin_job(self, name: str, relation: str, in_scope: float, origin: str) -> reg.KinInput:
        rng = self.rng
        if rng.random() >= in_scope:
            return reg.KinInput(name, relation, "", rng.choice(KIN_JOBS))
        roll = rng.random()
        if roll < 0.35 and origin in self.orgs and self.orgs[origin].sector == "county":
            org = self.orgs[origin]
        elif roll < 0.55:
            org = rng.choice(self.counties)
        elif roll < 0.85:
            org = rng.choice(self.by_sector["department"])
        else:
            org = rng.choice(self.by_sector[rng.choice(("soe", "university"))])
        post = rng.choice(
            ("科员", "一级主任科员", "副科长", "科长", "副处长")
            if org.sector != "university"
            else ("讲师", "副教授", "科员", "辅导员")
        )
        return reg.KinInput(name, relation, org.code, org.name, post)
