"""The country's divisions shipped with the registry: what the list holds, loading it (twice),
and an import that names a region code the list does not have."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import AuditEvent
from xunshi.registry.actions import regions_load
from xunshi.registry.models import ImportJob, OrgUnit, Region
from xunshi.registry.region_actions import regions_sync
from xunshi.registry.regions_national import national_regions


@pytest.fixture(scope="module")
def counties() -> dict[str, tuple[str, str, str]]:
    """The shipped provinces, cities and counties: code → (name, level, parent code)."""
    return {code: (name, level, parent) for code, name, level, parent in national_regions()}


def _children(rows: dict[str, tuple[str, str, str]], parent: str) -> dict[str, str]:
    return {code: name for code, (name, _level, up) in rows.items() if up == parent}


# The shipped list ---------------------------------------------------------------------------


def test_it_has_every_province_level_unit(counties):  # type: ignore[no-untyped-def]
    provinces = {c: n for c, (n, level, _p) in counties.items() if level == "province"}
    assert len(provinces) == 34
    assert provinces["110000"] == "北京市" and provinces["410000"] == "河南省"
    assert provinces["650000"] == "新疆维吾尔自治区"
    # Not in the statistical list, added from GB/T 2260.
    assert provinces["710000"] == "台湾省"
    assert provinces["810000"] == "香港特别行政区" and provinces["820000"] == "澳门特别行政区"
    prefectures = [
        c for c, (_n, level, _p) in counties.items() if level == "city" and c[2:4] != "90"
    ]
    assert len(prefectures) == 333
    # 2,819 districts, counties and county-level cities, and 124 functional zones (功能区).
    county_level = [c for c, (_n, level, _p) in counties.items() if level == "county"]
    assert len(county_level) == 2943
    assert sum(c[4] == "7" for c in county_level) == 124


def test_henan_has_its_17_cities_and_jiyuan_and_kaifeng_its_counties(counties):  # type: ignore[no-untyped-def]
    cities = _children(counties, "410000")
    assert sorted(cities.values()) == sorted(
        [
            "郑州市",
            "开封市",
            "洛阳市",
            "平顶山市",
            "安阳市",
            "鹤壁市",
            "新乡市",
            "焦作市",
            "濮阳市",
            "许昌市",
            "漯河市",
            "三门峡市",
            "南阳市",
            "商丘市",
            "信阳市",
            "周口市",
            "驻马店市",
            "济源市",
        ]
    )
    # 济源, a county-level city the province administers itself, stands beside the cities.
    assert cities["419001"] == "济源市" and counties["419001"][1] == "city"
    kaifeng = _children(counties, "410200")
    assert {
        "410221": "杞县",
        "410222": "通许县",
        "410223": "尉氏县",
        "410225": "兰考县",
    }.items() <= kaifeng.items()
    assert counties["410225"] == ("兰考县", "county", "410200")
    # A municipality's districts hang from the municipality itself, not from a 市辖区.
    assert counties["110105"] == ("朝阳区", "county", "110000")
    assert "110100" not in counties


def test_lankao_has_its_townships_and_villages_with_12_digit_codes():
    rows = {
        code: (name, level, parent)
        for code, name, level, parent in national_regions(depth="village", prefix="410225")
    }
    townships = _children(rows, "410225")
    assert len(townships) == 22
    assert townships["410225001000"] == "兰阳街道" and townships["410225106000"] == "东坝头镇"
    villages = _children(rows, "410225106000")
    assert villages and all(len(code) == 12 for code in villages)
    assert all(rows[code][1] == "village" for code in villages)
    # The province and the city above come along with a prefix.
    assert rows["410000"][0] == "河南省" and rows["410200"][0] == "开封市"
    assert not any(code.startswith("4101") for code in rows)


def test_the_demo_provinces_divisions_agree_with_the_national_list(counties):  # type: ignore[no-untyped-def]
    demo = Path(__file__).resolve().parents[2] / "demo" / "data" / "henan_divisions.csv"
    with demo.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            assert counties[row["code"]] == (row["name"], row["level"], row["parent_code"])


# Loading ------------------------------------------------------------------------------------


def _load(*args: str) -> str:
    out = StringIO()
    call_command("regions_load_national", *args, stdout=out)
    return out.getvalue()


def _events() -> int:
    return AuditEvent.objects.filter(action="registry.region.load").count()


def test_loading_twice_changes_nothing(db):  # type: ignore[no-untyped-def]
    assert "新增 3342 个，更新 0 个，未变 0 个" in _load()
    assert "新增 492 个" in _load("--depth", "village", "--prefix", "410225")
    regions, events = list(Region.objects.values_list("code", "name", "level", "parent")), _events()
    assert len(regions) == 3342 + 492 and events == 2
    assert Region.objects.get(code="410225101000").parent_id == "410225"

    assert "新增 0 个，更新 0 个，未变 3342 个" in _load()
    assert "新增 0 个，更新 0 个，未变 495 个" in _load("--depth", "village", "--prefix", "410225")
    assert list(Region.objects.values_list("code", "name", "level", "parent")) == regions
    assert _events() == events


def test_loading_over_the_registry_keeps_its_rows_and_corrects_a_name(world):  # type: ignore[no-untyped-def]
    regions_load(actor=SYSTEM, rows=[("411528", "息县（旧名）", "county", "411500")])
    counts = regions_sync(actor=SYSTEM, rows=national_regions(prefix="41"))
    # The test world's seven regions agree with the list; only the wrong name is corrected.
    assert (counts.updated, counts.unchanged) == (1, 7)
    assert Region.objects.get(code="411528").name == "息县"
    assert OrgUnit.objects.get(code="410225").region_id == "410225"
    event = AuditEvent.objects.filter(action="registry.region.load").latest("id")
    assert event.after["updated"] == 1 and event.after["added"] == counts.added


def test_a_child_before_its_parent_is_refused_and_nothing_is_written(db):  # type: ignore[no-untyped-def]
    rows = [("410000", "河南省", "province", ""), ("410225", "兰考县", "county", "410200")]
    with pytest.raises(ValidationError, match="行政区划“410225”的上级代码“410200”不存在"):
        regions_sync(actor=SYSTEM, rows=rows)
    assert not Region.objects.exists()


def test_the_command_refuses_a_prefix_that_is_not_a_code(db):  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError, match="代码前缀“豫”应为不超过12位的数字"):
        _load("--prefix", "豫")
    with pytest.raises(CommandError, match="没有代码以“99”开头的行政区划"):
        _load("--prefix", "99")


# An import that names an unknown region -----------------------------------------------------

HEADER = [
    "单位编码*",
    "单位名称*",
    "简称",
    "板块*",
    "行政区划代码",
    "上级单位编码",
    "标签",
    "人数",
    "统一社会信用代码",
    "主要负责人",
    "主要负责人职务",
    "主要负责人干部编号",
    "纳入巡视范围",
]


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _upload(client, tmp_path, rows):  # type: ignore[no-untyped-def]
    wb = Workbook()
    ws = wb.active
    ws.title = "单位"
    ws.append(HEADER)
    for row in rows:
        ws.append(row)
    path = tmp_path / "单位名录.xlsx"
    wb.save(path)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    return client.post(reverse("import_upload"), {"kind": "orgs", "file": upload}, follow=True)


def test_an_import_naming_an_unknown_region_names_the_row_and_writes_nothing(
    world, login, tmp_path, media
):  # type: ignore[no-untyped-def]
    _load("--depth", "township", "--prefix", "4102")
    client = login(world.users["alice"])
    rows = [
        ["410221", "杞县", None, "县（市、区）", "410221", "410200"],
        # A township's 12-digit code, typed as a number.
        ["410225101", "堌阳镇", None, "乡镇（街道）", 410225101000, "410225"],
        ["410222", "通许县", None, "县（市、区）", "410222", "410200"],
        ["410299", "开封某县", None, "县（市、区）", "410299", "410200"],
    ]
    orgs = OrgUnit.objects.count()
    response = _upload(client, tmp_path, rows)
    job = ImportJob.objects.get()
    assert job.status == "failed"
    assert [(e["sheet"], e["row"], e["column"], e["message"]) for e in job.errors] == [
        ("单位", 5, "行政区划代码", "行政区划代码“410299”不存在"),
    ]
    html = response.content.decode()
    assert "文件中有 1 个问题，没有导入任何数据" in html
    assert "<td>单位</td><td>5</td><td>行政区划代码</td><td>行政区划代码“410299”不存在</td>" in html
    assert OrgUnit.objects.count() == orgs

    _upload(client, tmp_path, rows[:3])
    assert ImportJob.objects.latest("id").status == "done"
    assert OrgUnit.objects.get(code="410225101").region.name == "堌阳镇"  # type: ignore[union-attr]
    assert OrgUnit.objects.get(code="410221").region_id == "410221"
