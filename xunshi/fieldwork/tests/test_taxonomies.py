"""Problem taxonomies: the builtin ones shipped by the data migration, the office's own typed
one item a line, new versions, and who may read and keep them."""

from __future__ import annotations

import html as htmllib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xunshi.audit.models import AuditEvent
from xunshi.fieldwork.models import Taxonomy, TaxonomyItem
from xunshi.fieldwork.taxonomy_actions import items_text, taxonomy_create, taxonomy_new_version
from xunshi.fieldwork.taxonomy_queries import is_current_for

GOOD = "1 违反政治纪律\n1.1 对抗组织审查\n\n2 违反组织纪律\n2.1 违规选人用人"


def _names(code: str) -> list[str]:
    taxonomy = Taxonomy.objects.get(code=code, version=1)
    return [f"{i.code} {i.name}" for i in taxonomy.items.order_by("position")]


def test_it_ships_the_builtin_taxonomies_as_version_1(db):
    builtin = Taxonomy.objects.filter(builtin=True, version=1, active=True, body__isnull=True)
    assert sorted(builtin.values_list("name", flat=True)) == sorted(
        [
            "四个落实",
            "六围绕一加强",
            "三个聚焦",
            "六项纪律",
            "十届省委第六轮巡视监督重点",
            "对村巡察监督重点",
        ]
    )
    assert _names("liuxiangjilv") == [
        "1 政治纪律",
        "2 组织纪律",
        "3 廉洁纪律",
        "4 群众纪律",
        "5 工作纪律",
        "6 生活纪律",
    ]
    assert _names("sigeluoshi")[0] == "1 落实党的路线方针政策和党中央重大决策部署"
    assert len(_names("sangejujiao")) == 3 and len(_names("liuweiraoyijiaqiang")) == 7


def test_it_ships_the_five_focus_areas_of_the_seed_round_with_their_details(db):
    focus = Taxonomy.objects.get(name="十届省委第六轮巡视监督重点")
    top = focus.items.filter(parent__isnull=True).order_by("position")
    assert [i.code for i in top] == ["1", "2", "3", "4", "5"]
    assert top[2].name == "集中整治形式主义、官僚主义问题"
    village = focus.items.get(code="4.3")
    assert village.parent.code == "4" and "涉黑保护伞" in village.name


def test_it_creates_the_office_s_own_taxonomy_with_its_levels(world):
    taxonomy = taxonomy_create(
        actor=world.users["alice"], name="纪律处分条例分类", code="jilv-2024", items_text=GOOD
    )
    assert (taxonomy.version, taxonomy.builtin, taxonomy.active) == (1, False, True)
    child = taxonomy.items.get(code="2.1")
    assert child.parent.name == "违反组织纪律" and child.position == 4
    event = AuditEvent.objects.get(action="inspections.taxonomy.create")
    assert event.after["items"][1] == "1.1 对抗组织审查"


def test_it_names_every_bad_line_by_its_number_and_saves_nothing(world):
    text = "1 违反政治纪律\n违反组织纪律\n2.1 违规选人用人\n1 重复的编号"
    with pytest.raises(ValidationError) as e:
        taxonomy_create(actor=world.users["alice"], name="新分类", code="new", items_text=text)
    assert e.value.messages == [
        "第2行“违反组织纪律”格式不对，应为“编号 名称”，如“1 政治纪律”或“1.1 违反政治纪律”。",
        "第3行“2.1”的上级编号“2”须在它之前出现。",
        "第4行的编号“1”与第1行重复。",
    ]
    assert not Taxonomy.objects.filter(code="new").exists()


def test_it_refuses_a_taken_code_a_taken_name_and_no_items(world):
    with pytest.raises(ValidationError) as e:
        taxonomy_create(
            actor=world.users["alice"], name="六项纪律", code="liuxiangjilv", items_text=" \n"
        )
    assert e.value.messages == [
        "已有名为“六项纪律”的分类；如需修改，请在它的基础上另立新版本。",
        "代码“liuxiangjilv”已被“六项纪律”使用。",
        "请至少填写一个条目，每行一个，应为“编号 名称”，如“1 政治纪律”或“1.1 违反政治纪律”。",
    ]


def test_it_refuses_a_code_that_is_not_a_slug(world):
    with pytest.raises(ValidationError, match="代码只能由小写字母、数字、连字符和下划线组成"):
        taxonomy_create(actor=world.users["alice"], name="新分类", code="纪律", items_text=GOOD)


def test_it_makes_a_new_version_and_retires_the_old_one(world):
    old = Taxonomy.objects.get(code="liuxiangjilv")
    text = items_text(old).replace("6 生活纪律", "6 生活纪律\n6.1 生活奢靡")
    new = taxonomy_new_version(actor=world.users["alice"], taxonomy=old, items_text=text)
    assert (new.version, new.active, new.body) == (2, True, world.body)
    assert not is_current_for(old, world.body.pk) and is_current_for(new, world.body.pk)
    assert new.items.get(code="6.1").parent.name == "生活纪律"
    # The old version keeps its items for the papers classified under them.
    assert old.items.count() == 6
    with pytest.raises(ValidationError, match="“六项纪律”已有第2版，请在最新版本上修改。"):
        taxonomy_new_version(actor=world.users["alice"], taxonomy=old, items_text=text)


def test_it_refuses_a_new_version_that_changes_nothing(world):
    old = Taxonomy.objects.get(code="sangejujiao")
    with pytest.raises(ValidationError, match="与第1版相同，无需另立新版本。"):
        taxonomy_new_version(actor=world.users["alice"], taxonomy=old, items_text=items_text(old))
    assert Taxonomy.objects.filter(code="sangejujiao").count() == 1


# --- pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("alice", 200),
        ("gina", 200),
        ("bob", 200),
        ("carol", 200),
        ("dave", 200),
        ("erin", 403),
        ("sam", 403),
        ("sue", 403),
        ("aud", 403),
    ],
)
def test_it_shows_the_taxonomies_to_whoever_classifies_or_reads_problems(world, login, who, status):
    response = login(world.users[who]).get(reverse("taxonomy_list"))
    assert response.status_code == status
    if status == 200:
        html = htmllib.unescape(response.content.decode())
        assert "六项纪律" in html and "4.3 村霸、宗族势力" in html
        assert ('id="new-taxonomy"' in html) == (who == "alice")


def test_it_sends_a_stranger_to_the_login_page(world, client):
    response = client.get(reverse("taxonomy_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["gina", "bob", "dave", "erin", "sam"])
def test_it_lets_only_the_office_keep_taxonomies(world, login, who):
    client = login(world.users[who])
    before = Taxonomy.objects.count()
    data = {"name": "新分类", "code": "new", "items_text": GOOD}
    assert client.post(reverse("taxonomy_create"), data).status_code == 403
    pk = Taxonomy.objects.get(code="liuxiangjilv").pk
    version = {"name": "六项纪律", "items_text": "1 政治纪律"}
    assert client.post(reverse("taxonomy_new_version", args=[pk]), version).status_code == 403
    assert Taxonomy.objects.count() == before


def test_it_adds_a_taxonomy_from_the_office_s_form(world, login):
    client = login(world.users["alice"])
    data = {"name": "纪律处分条例分类", "code": "jilv-2024", "items_text": GOOD}
    response = client.post(reverse("taxonomy_create"), data, follow=True)
    html = htmllib.unescape(response.content.decode())
    assert "已新增问题分类“纪律处分条例分类”。" in html and "2.1 违规选人用人" in html


def test_it_shows_bad_lines_on_the_form_and_saves_nothing(world, login):
    client = login(world.users["alice"])
    data = {"name": "新分类", "code": "new", "items_text": "1 甲\n1.1.1 乙"}
    response = client.post(reverse("taxonomy_create"), data)
    assert response.status_code == 200
    html = htmllib.unescape(response.content.decode())
    assert "第2行“1.1.1”的上级编号“1.1”须在它之前出现。" in html
    assert not Taxonomy.objects.filter(code="new").exists()


def test_it_makes_a_new_version_from_the_page(world, login):
    client = login(world.users["alice"])
    old = Taxonomy.objects.get(code="sigeluoshi")
    text = items_text(old).replace("主题教育整改", "审计整改")
    response = client.post(
        reverse("taxonomy_new_version", args=[old.pk]),
        {"name": "四个落实", "items_text": text},
        follow=True,
    )
    html = htmllib.unescape(response.content.decode())
    assert "“四个落实”第2版已启用。" in html and "4 落实巡视整改和审计整改" in html
    assert TaxonomyItem.objects.filter(taxonomy__code="sigeluoshi").count() == 8


def test_it_lists_the_taxonomies_in_a_fixed_number_of_queries(world, login):
    client = login(world.users["alice"])

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("taxonomy_list")).status_code == 200
        return len(ctx.captured_queries)

    before = count()
    taxonomy_create(actor=world.users["alice"], name="新分类", code="new", items_text=GOOD)
    old = Taxonomy.objects.get(code="liuxiangjilv")
    taxonomy_new_version(actor=world.users["alice"], taxonomy=old, items_text="1 政治纪律")
    assert count() == before
