"""暂停 and 取消 stop an inspection's work: each is folded apart from the next steps, says what
it does, and asks for a confirmation, in the page and on the server, before anything moves."""

from __future__ import annotations

import re

from django.urls import reverse

from xunshi.lifecycle.models import StageChange


def _destructive_boxes(html: str) -> list[str]:
    return re.findall(r'<details class="destructive">(.*?)</details>', html, re.S)


def test_it_folds_pause_and_cancel_apart_with_their_warning(world, login):
    insp = world.inspection1
    html = login(world.users["alice"]).get(reverse("inspection_workspace", args=[insp.pk]))
    page = html.content.decode()
    boxes = _destructive_boxes(page)
    assert [re.search(r"<summary[^>]*>(.*?)</summary>", b).group(1) for b in boxes] == [
        "暂停…",
        "取消…",
    ]
    assert "巡视组不能再登记谈话、材料和底稿" in boxes[0] and "确认暂停" in boxes[0]
    assert "不能恢复" in boxes[1] and 'name="confirm" value="1"' in boxes[1]
    outside = re.sub(r'<details class="destructive">.*?</details>', "", page, flags=re.S)
    assert ">暂停</button>" not in outside and ">取消</button>" not in outside


def test_it_asks_before_pausing_and_writes_nothing_until_confirmed(world, login):
    insp = world.inspection1
    client = login(world.users["alice"])
    url = reverse("inspection_stage", args=[insp.pk])
    asked = client.post(url, {"to": "suspended", "reason": "配合上级巡视"})
    assert asked.status_code == 200
    page = asked.content.decode()
    assert "确认暂停" in page and "巡视组不能再登记谈话" in page
    assert 'value="配合上级巡视"' in page
    insp.refresh_from_db()
    assert insp.stage != "suspended" and not StageChange.objects.filter(inspection=insp).exists()
    done = client.post(url, {"to": "suspended", "reason": "配合上级巡视", "confirm": "1"})
    assert done.status_code == 302
    insp.refresh_from_db()
    assert insp.stage == "suspended"
