"""One inspection from on-site work to closure, in a real browser, with the server's clock
frozen where the deadlines matter: the lifecycle as the team, the office and the inspected
organization's liaison meet it.

The first test walks round 10 of the demo province (a round and a county the setup adds to
the demo): a talk, a petition, a working paper through its reviews to a problem, a clue, the
report and its Word document, the office's stages to the feedback, the liaison's plan and
progress under a yellow warning, a restart twelve days later where the item is red and the
office sends a supervision letter, then the claim, the verification, the report, the
disclosure and the closure. The second test transfers a clue of the small test world in
September and comes back in December, when its disposal feedback is overdue.

Each server restart is a new process: sessions live in it, so every person logs in again.
"""

from __future__ import annotations

import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from .browser import NEEDS_CHROMIUM, chromium_page, nav_click, serve, shot, sign_in, stage_button

pytestmark = NEEDS_CHROMIUM

# The demo's printed password (xunshi/demo/province.py PASSWORD, manage.py demo_logins).
DEMO_PASSWORD = "Try-It-2026!"
ROUND = "十一届省委第十轮巡视"
PAPER_TITLE = "城市更新项目资金管理不规范"
SUMMARY = "城市更新项目资金管理不够规范，部分资金未按规定用途使用。"
OVERVIEW = "区委能够贯彻落实党中央决策部署和省委工作要求，但在资金管理等方面仍存在问题。"

# The demo province plus round 10: team 1 (zuzhang leads, zuyuan and one more cadre without
# an avoidance hit), one county not inspected in round 9, on site since 2 November, and a
# liaison account for it. Written at 2026-11-03 so that no stage date lies in the future;
# what the test needs to know is left in walk.json beside the database.
WALK_SETUP = """
import datetime as dt
import json
import zoneinfo
from pathlib import Path
import time_machine

time_machine.travel(
    dt.datetime(2026, 11, 3, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=True
).start()

import django

django.setup()
from django.core.exceptions import ValidationError
from django.core.management import call_command

from xunshi.users import actions as accounts
from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import User
from xunshi.lifecycle.actions import inspection_transition
from xunshi.demo.group import approve_round
from xunshi.demo.province import PASSWORD
from xunshi.registry.models import Cadre, OrgUnit
from xunshi.rounds import actions as rnd
from xunshi.rounds.models import Inspection, Round

call_command("seed_demo", verbosity=0)
nine = Round.objects.get(ordinal=9)
leader, member = User.objects.get(username="zuzhang"), User.objects.get(username="zuyuan")
ten = rnd.round_create(
    actor=SYSTEM, body=nine.body, term=nine.term, ordinal=10, name="十一届省委第十轮巡视",
    kind="regular", sector_mode="mixed", targets_per_team=1,
    start=dt.date(2026, 11, 2), end=dt.date(2026, 12, 31),
)
team = rnd.team_create(
    actor=SYSTEM, round=ten, number=1, rule_set=nine.teams.get(number=1).rule_set
)
rnd.membership_add(actor=SYSTEM, team=team, cadre=leader.cadre, role="leader")
rnd.membership_add(actor=SYSTEM, team=team, cadre=member.cadre, role="member")
insp = None
counties = OrgUnit.objects.filter(body=nine.body, sector="county").exclude(
    pk__in=Inspection.objects.filter(round=nine).values("target")
)
for county in counties.order_by("code"):
    try:
        insp = rnd.inspection_create(actor=SYSTEM, team=team, target=county, kind="regular")
    except ValidationError:
        continue
    break
assert insp is not None, "no county without an avoidance hit for zuzhang and zuyuan"
third = None
for cadre in Cadre.objects.filter(active=True).exclude(
    pk__in=[leader.cadre_id, member.cadre_id]
).order_by("code"):
    try:
        third = rnd.membership_add(actor=SYSTEM, team=team, cadre=cadre, role="member")
    except ValidationError:
        continue
    break
assert third is not None
rnd.pledge_sign(actor=leader, membership=team.memberships.get(cadre=leader.cadre))
rnd.pledge_sign(actor=member, membership=team.memberships.get(cadre=member.cadre))
rnd.pledge_sign(
    actor=SYSTEM,
    membership=third,
)
approve_round(ten, dt.date(2026, 10, 28))  # the demo's leading group approves the plan
for stage, on in [
    ("authorized", dt.date(2026, 10, 28)),
    ("notified", dt.date(2026, 10, 30)),
    ("on_site", dt.date(2026, 11, 2)),
]:
    inspection_transition(actor=SYSTEM, inspection=insp, to=stage, on=on)
liaison = accounts.user_create(
    actor=SYSTEM, username="duijie", full_name="马晓东", password=PASSWORD
)
accounts.user_grant_role(actor=SYSTEM, user=liaison, role="liaison", org=insp.target)
liaison.must_change_password = False
liaison.save(update_fields=["must_change_password"])
Path("__OUT__").write_text(json.dumps({
    "pk": insp.pk,
    "target": insp.target.name,
    "leader": leader.cadre.name,
    "member": member.cadre.name,
    "third": third.cadre.name,
}, ensure_ascii=False))
"""

# The test world with its inspection of 兰考县 on site and one clue from an anonymous letter,
# written on 15 September 2026 (the round runs from September to October).
CLUE_SETUP = """
import datetime as dt
import zoneinfo

import time_machine

time_machine.travel(
    dt.datetime(2026, 9, 15, 9, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), tick=True
).start()

import django

django.setup()

from xunshi.fieldwork import actions as onsite_actions
from xunshi.findings import actions as clue_actions
from xunshi.testsupport.lifecycle import move_on_site
from xunshi.testsupport.world import build_world
from xunshi.accounts.actors import SYSTEM

w = build_world()
move_on_site(w.inspection1)
petition = onsite_actions.petition_create(
    actor=SYSTEM, inspection=w.inspection1, channel="letter", received_on=dt.date(2026, 9, 10),
    content="反映县某局局长违规接受管理服务对象宴请。", real_name=False,
)
onsite_actions.petition_route(actor=SYSTEM, petition=petition, in_scope=True, routing="clue")
clue_actions.clue_create(
    actor=SYSTEM, inspection=w.inspection1, source="petition", record=petition,
    persons="县某局局长", summary="反映其违规接受管理服务对象宴请。", recipient="discipline",
)
"""


@pytest.fixture
def page() -> Iterator[Any]:
    with chromium_page(timeout_ms=20_000, accept_downloads=True) as p:
        yield p


# --- what a person does on every page ---------------------------------------------------------


def _login(page: Any, base: str, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in afresh as username (the previous person's cookies are dropped)."""
    sign_in(page, base, username, password)


def _said(page: Any, text: str) -> None:
    """The page reports success with text, and shows no form error."""
    page.wait_for_load_state()
    messages = page.locator(".messages")
    assert messages.count() == 1, f"no message on {page.url}: {_main(page)[:600]}"
    said = messages.inner_text()
    assert text in said, said
    assert "error" not in (page.locator(".messages li").first.get_attribute("class") or ""), said
    assert page.locator(".errorlist").count() == 0, page.locator(".errorlist").first.inner_text()


def _main(page: Any) -> str:
    return str(page.locator("main").inner_text())


def _tab(page: Any, label: str) -> None:
    page.locator("nav.tabs a", has_text=label).first.click()
    page.wait_for_load_state()


def _stage(page: Any, label: str, now: str) -> None:
    """Press the stage button label; the page says the inspection is now in stage `now`."""
    button = stage_button(page, label)
    assert button.is_enabled(), f"“{label}” is blocked: {_main(page)[:800]}"
    button.click()
    page.wait_for_load_state()
    _said(page, f"已转入“{now}”阶段")
    assert now in page.locator("h1 .tag.stage").inner_text()


def _decide(page: Any, label: str, now: str, *, meeting: int) -> None:
    """The leading group's login records its meeting with the button label (stage `now`)."""
    form = page.locator("form.transition.decision", has_text=label)
    form.locator("[name=meeting_number]").fill(str(meeting))
    form.locator("[name=held_on]").fill("2026-11-20")
    form.get_by_role("button", name=label).click()
    page.wait_for_load_state()
    _said(page, f"已记录会议并转入“{now}”阶段")
    assert now in page.locator("h1 .tag.stage").inner_text()


def _docx_text(download: Any, folder: Path) -> str:
    """Every paragraph and table cell of a downloaded Word file (it has to open)."""
    import docx

    path = folder / download.suggested_filename
    download.save_as(path)
    assert path.suffix == ".docx", path.name
    doc = docx.Document(io.BytesIO(path.read_bytes()))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def _pdf() -> bytes:
    from xunshi.files.tests import samples

    return samples.pdf()


# --- the walk ---------------------------------------------------------------------------------


def test_it_walks_an_inspection_from_on_site_work_to_closure(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path
    setup = WALK_SETUP.replace("__OUT__", str(folder / "walk.json"))
    with serve(folder, setup, freeze="2026-11-20T09:00:00") as base:
        walk = json.loads((folder / "walk.json").read_text())
        _on_site(page, base, walk)
        _to_feedback(page, base, walk, folder)
        _plan_and_progress(page, base, walk)
    # Twelve days later: the deadline of 28 November has passed.
    with serve(folder, freeze="2026-12-02T09:00:00", fresh=False) as base:
        _overdue_and_supervised(page, base, walk, folder)
        _closure(page, base, walk)


def _on_site(page: Any, base: str, walk: dict[str, Any]) -> None:
    """The team leader: a talk, a petition, a working paper to a problem, a clue; withdrawal."""
    target, leader, member, third = walk["target"], walk["leader"], walk["member"], walk["third"]
    _login(page, base, "zuzhang")
    assert page.url == f"{base}/desk/"  # the leader lands on what waits for him
    nav_click(page, "轮次与巡视组")
    page.get_by_role("link", name=ROUND).click()
    page.get_by_role("link", name=target).first.click()
    page.get_by_role("link", name="进入巡视工作台").click()
    page.wait_for_url(f"{base}/inspections/{walk['pk']}/")
    assert target in page.locator("h1").inner_text()
    assert "进驻中" in page.locator("h1 .tag.stage").inner_text()
    assert f"{leader}（组长）" in _main(page)
    shot(page, "21-workspace-on-site")

    # 个别谈话: two interviewers and a recorder; the record written afterwards, signed off.
    _tab(page, "个别谈话")
    form = page.locator("#new-talk form")
    form.locator("[name=interviewee]").fill(f"{target}委书记")
    form.locator("[name=interviewee_post]").fill("区委书记")
    form.get_by_label(leader, exact=True).check()
    form.get_by_label(member, exact=True).check()
    form.locator("[name=recorder]").select_option(label=third)
    form.locator("[name=held_at]").fill("2026-11-10T09:30")
    form.locator("[name=place]").fill("巡视组驻地谈话室")
    form.locator("[name=outline]").fill("一、落实党中央决策部署情况；二、“两个责任”落实情况。")
    form.locator("button").click()
    _said(page, "")
    row = page.locator("table.talks tbody tr").first
    assert f"{leader}、{member}" in row.inner_text() and third in row.inner_text()
    assert "未签认" in row.inner_text()
    row.locator("a").first.click()
    page.locator("#edit-talk [name=record]").fill(
        "谈话对象介绍了城市更新项目的推进情况，承认部分资金使用不够规范。"
    )
    page.locator("#edit-talk button").click()
    _said(page, "谈话记录已保存")
    assert "城市更新项目" in page.locator("section.record").inner_text()
    page.get_by_role("button", name="签认谈话记录").click()
    _said(page, "谈话记录已签认")
    assert "已签认" in page.locator("section.talk").inner_text()
    assert page.locator("#edit-talk").count() == 0  # a signed record is final
    shot(page, "22-talk-signed")

    # 信访: an anonymous letter, routed as a clue.
    _tab(page, "信访")
    form = page.locator("#new-petition form")
    form.locator("[name=channel]").select_option("letter")
    form.locator("[name=category]").select_option(label="违反中央八项规定精神问题")
    form.locator("[name=received_on]").fill("2026-11-12")
    form.locator("[name=reported_persons]").fill("区住建局局长")
    form.locator("[name=content]").fill("反映区住建局局长在城市更新项目中违规插手工程分包。")
    form.locator("button").click()
    _said(page, "已登记第1号信访件")
    assert "待处理" in page.locator("table.petitions tbody tr").first.inner_text()
    page.get_by_role("link", name="第1号").click()
    route = page.locator("#route form")
    route.locator("[name=in_scope][value=yes]").check()
    route.locator("[name=routing]").select_option("clue")
    route.locator("button").click()
    _said(page, "")
    assert "作为线索" in page.locator("section.routing").inner_text()

    # 问题底稿: drafted, the talk as evidence, the group meeting, the leader, a problem.
    _tab(page, "问题底稿")
    page.locator("[name=title]").fill(PAPER_TITLE)
    page.locator("[name=category]").select_option(index=1)
    page.locator("[name=facts]").fill("2025年城市更新项目资金中有860万元未按批复用途使用。")
    page.locator("[name=qualification]").fill("违反《中华人民共和国预算法》有关规定。")
    page.locator("[name=responsibility_main]").fill("区委承担主体责任。")
    page.get_by_role("button", name="保存底稿").click()
    _said(page, "已新建问题底稿")
    talk = page.locator("[name=record] option", has_text=f"{target}委书记").first
    page.locator("[name=record]").select_option(talk.get_attribute("value"))
    page.locator("[name=note]").first.fill("谈话对象承认资金使用不规范")
    page.get_by_role("button", name="关联证据").click()
    _said(page, "已添加证据材料")
    assert f"{target}委书记" in page.locator("table.evidence").inner_text()
    page.get_by_role("button", name="提交组务会审议").click()
    _said(page, "底稿已提交组务会审议")
    page.locator("[name=approve][value=yes]").check()
    page.locator("[name=meeting_on]").fill("2026-11-18")
    page.locator("[name=opinion]").fill("事实清楚，定性准确，同意报组长审定。")
    page.get_by_role("button", name="登记审议意见").click()
    _said(page, "已登记组务会审议意见")
    page.locator("[name=approve][value=yes]").check()
    page.get_by_role("button", name="提交审定结果").click()
    _said(page, "")
    page.locator("[name=summary]").fill(SUMMARY)
    page.get_by_role("button", name="形成问题").click()
    _said(page, "已形成第1个问题")
    assert "第1个问题" in _main(page) and "已审定" in page.locator("h2 .tag").inner_text()
    shot(page, "23-paper-problem")

    # 问题线索: from the petition.
    _tab(page, "问题线索")
    letter = page.locator("[name=record] option", has_text="1号").first
    page.locator("[name=record]").select_option(letter.get_attribute("value"))
    page.locator("[name=persons]").fill("区住建局局长")
    page.locator("[name=summary]").fill("反映其在城市更新项目中违规插手工程分包。")
    page.locator("[name=recipient]").select_option("discipline")
    page.get_by_role("button", name="登记", exact=True).click()
    _said(page, "已登记")
    assert "尚未移交" in _main(page)

    # 撤离, then the report: overview, 报送巡视报告, the Word file.
    _tab(page, "概况")
    _stage(page, "撤离", "已撤离")


def _to_feedback(page: Any, base: str, walk: dict[str, Any], folder: Path) -> None:
    """The report goes up; the office takes it to the feedback and transfers the clue."""
    _tab(page, "报告与反馈")
    page.locator("[name=overview]").fill(OVERVIEW)
    page.locator("[name=suggestions]").fill("一是提高政治站位；二是规范资金管理。")
    page.get_by_role("button", name="保存", exact=True).click()
    _said(page, "巡视报告已保存")
    _stage(page, "报送巡视报告", "报告起草")
    with page.expect_download() as download:
        page.get_by_role("link", name="巡视情况报告（Word）").click()
    text = _docx_text(download.value, folder)
    assert PAPER_TITLE in text and walk["target"] in text
    shot(page, "24-report-sent")

    _login(page, base, "bangongshi")
    page.goto(f"{base}/inspections/{walk['pk']}/")
    _stage(page, "巡视办审核通过", "巡视办审核")
    # The leading group hears the report and records the committee's decision itself.
    _login(page, base, "lingdao")
    page.goto(f"{base}/inspections/{walk['pk']}/")
    _decide(page, "领导小组已听取汇报", "领导小组听取汇报", meeting=7)
    _decide(page, "党委已研究决定", "党委决定", meeting=31)
    _login(page, base, "bangongshi")
    page.goto(f"{base}/inspections/{walk['pk']}/")
    _stage(page, "反馈巡视意见", "已反馈")
    dues = page.locator("table.dues").inner_text()
    assert "2026-11-20" in dues, dues  # counted from the feedback
    shot(page, "25-feedback-given")
    _tab(page, "报告与反馈")
    with page.expect_download() as download:
        page.get_by_role("link", name="反馈意见（Word）").click()
    assert SUMMARY in _docx_text(download.value, folder)

    _tab(page, "问题线索")
    page.locator("table.clues tbody a").first.click()
    page.locator("[name=receiving_body]").fill("省纪委监委")
    page.locator("[name=receiver]").fill("信访室")
    page.get_by_role("button", name="移交", exact=True).click()
    _said(page, "已登记移交")
    assert "2026-11-20" in _main(page)


def _plan_and_progress(page: Any, base: str, walk: dict[str, Any]) -> None:
    """The liaison: the plan with a deadline eight days ahead, progress with a PDF: yellow."""
    _login(page, base, "duijie")
    assert page.url == f"{base}/desk/", page.url  # the liaison lands on what waits for it
    nav_click(page, "整改台账")
    page.get_by_role("link", name=walk["target"]).click()
    page.wait_for_url(f"{base}/rectification/{walk['pk']}/")
    # The liaison works from the ledger only: no tab leads to a page she may not open.
    assert page.locator("nav.tabs a").all_inner_texts() == ["整改台账"]
    item = page.locator("#item-1")
    assert SUMMARY in item.locator("h2").inner_text()
    item.locator("[name$='-measures']").fill("开展城市更新项目资金专项清理，逐笔核对资金用途。")
    item.locator("[name$='-responsible_leader']").fill("区委副书记、区长")
    item.locator("[name$='-responsible_department']").fill("区财政局")
    item.locator("[name$='-deadline']").fill("2026-11-28")
    item.locator("[name$='-kind']").select_option("concentrated")
    item.get_by_role("button", name="保存整改措施").click()
    _said(page, "已保存第1项的整改措施")
    _stage(page, "报送整改方案", "整改中")

    item = page.locator("#item-1")
    item.locator("summary", has_text="报告整改进展").click()
    item.locator("[name$='-text']").fill("已完成资金清理，追回违规使用资金120万元。")
    item.locator("[name$='-evidence']").set_input_files(
        files=[{"name": "资金清理情况.pdf", "mimeType": "application/pdf", "buffer": _pdf()}]
    )
    item.locator("[name$='-rules_revised']").fill("1")
    item.locator("[name$='-funds_recovered']").fill("120")
    item.get_by_role("button", name="报告进展").click()
    _said(page, "已报告第1项的整改进展")
    item = page.locator("#item-1")
    assert "资金清理情况.pdf" in item.locator("table.progress").inner_text()
    assert item.locator(".tag.yellow").inner_text() == "黄色预警：临近时限"
    shot(page, "26-ledger-yellow")


def _overdue_and_supervised(page: Any, base: str, walk: dict[str, Any], folder: Path) -> None:
    """On 2 December: red on the ledger, listed for supervision, a letter sent."""
    _login(page, base, "duijie")
    nav_click(page, "整改台账")
    mine = page.locator("table.ledgers tbody tr", has_text=walk["target"])
    assert "红色 1" in mine.inner_text(), mine.inner_text()
    mine.get_by_role("link", name=walk["target"]).click()
    item = page.locator("#item-1")
    assert item.locator(".tag.red").inner_text() == "红色预警：已逾期"
    assert item.locator(".tag.yellow").count() == 0
    shot(page, "27-ledger-red")

    _login(page, base, "bangongshi")
    page.goto(f"{base}/rectification/supervision/")
    unit = page.locator(f"#unit-{walk['pk']}")
    assert walk["target"] in unit.locator("h2").inner_text()
    row = unit.locator("table.warned tbody tr").first
    assert SUMMARY[:10] in row.inner_text() and "逾期4天" in row.inner_text(), row.inner_text()
    unit.get_by_role("button", name=f"向{walk['target']}发出督办函").click()
    _said(page, "")
    unit = page.locator(f"#unit-{walk['pk']}")
    letter = unit.locator("p.muted a").first
    with page.expect_download() as download:
        letter.click()
    text = _docx_text(download.value, folder)
    assert walk["target"] in text and SUMMARY[:10] in text
    shot(page, "28-supervision")


def _closure(page: Any, base: str, walk: dict[str, Any]) -> None:
    """Claim, verification, the rectification report, disclosure, monitoring, closed."""
    target = walk["target"]
    _login(page, base, "duijie")
    nav_click(page, "整改台账")
    page.get_by_role("link", name=target).click()
    page.locator("#item-1").get_by_role("button", name="申请销号").click()
    _said(page, "第1项已申请销号")

    _login(page, base, "bangongshi")
    page.goto(f"{base}/rectification/{walk['pk']}/")
    verify = page.locator("#item-1 form.verify")
    verify.locator("[name$='-decision']").select_option("close")
    verify.get_by_role("button", name="提交核验结果").click()
    _said(page, "")
    assert "已销号" in page.locator("#item-1 .tag.status").inner_text()
    assert page.locator("#item-1 .tag.red").count() == 0  # a closed item warns no more

    _login(page, base, "duijie")
    nav_click(page, "整改台账")
    page.get_by_role("link", name=target).click()
    _stage(page, "报送整改情况报告", "已报送整改报告")

    _login(page, base, "bangongshi")
    page.goto(f"{base}/rectification/{walk['pk']}/")
    _stage(page, "公开整改情况", "已公开")
    page.get_by_role("link", name="整改公开内容").click()
    disclosure = page.locator("section.disclosure").inner_text()
    assert "2026-12-02 公开" in disclosure and target in disclosure, disclosure
    assert re.search(r"[1１一]", disclosure)
    shot(page, "29-disclosure")
    _tab(page, "概况")
    _stage(page, "转入日常监督", "日常监督")
    _stage(page, "办结", "已办结")
    assert page.locator("form.transition button", has_text="归档").count() == 1
    shot(page, "30-closed")


# --- a clue whose disposal feedback goes overdue ----------------------------------------------


def test_it_lists_a_clue_transferred_in_september_as_overdue_in_december(tmp_path, page) -> None:  # type: ignore[no-untyped-def]
    from xunshi.testsupport.world import PASSWORD

    with serve(tmp_path, CLUE_SETUP, freeze="2026-09-20T10:00:00") as base:
        _login(page, base, "alice", PASSWORD)
        page.goto(f"{base}/inspections/clues/overdue/")
        assert "没有逾期未反馈的线索" in page.locator("table.overdue").inner_text()
        waiting = page.locator("table.waiting tbody tr").first
        assert "兰考县" in waiting.inner_text() and "5天" in waiting.inner_text()
        waiting.locator("a").nth(1).click()
        page.locator("[name=receiving_body]").fill("省纪委监委")
        page.locator("[name=receiver]").fill("第一监督检查室")
        page.get_by_role("button", name="移交", exact=True).click()
        _said(page, "已登记移交")
        assert "2026-09-20" in _main(page) and "2026-12-20" in _main(page)
        shot(page, "31-clue-transferred")

    with serve(tmp_path, freeze="2026-12-22T10:00:00", fresh=False) as base:
        _login(page, base, "alice", PASSWORD)
        page.goto(f"{base}/inspections/clues/overdue/")
        row = page.locator("table.overdue tbody tr").first
        text = row.inner_text()
        assert "兰考县" in text and "省纪委监委" in text and "2026-12-20" in text, text
        assert row.locator(".tag.red").inner_text() == "2天"
        shot(page, "32-clue-overdue")
        row.locator("a").nth(1).click()
        assert "2026-12-20" in page.locator(".tag.red").first.inner_text()
        page.locator("[name=disposal]").select_option("talk_inquiry")
        page.locator("[name=outcome]").fill("已对其谈话函询，本人作出说明。")
        page.get_by_role("button", name="登记", exact=True).click()
        _said(page, "已登记处置情况")
        assert "谈话函询" in _main(page)
        page.goto(f"{base}/inspections/clues/overdue/")
        assert "没有逾期未反馈的线索" in page.locator("table.overdue").inner_text()
