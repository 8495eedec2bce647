"""The report form: what a citizen sends is sealed; anything wrong is said plainly, and kept
nowhere."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.conftest import VALID_ID, form_answer, opened, receipt_of
from portal.reports.models import Submission, ThrottleBucket

pytestmark = pytest.mark.django_db


def problems(response: Any) -> str:
    """The text of the box that lists what to correct."""
    html = response.content.decode()
    box = re.search(r'<section class="problems".*?</section>', html, re.S)
    assert box, "no list of problems on the page"
    return re.sub(r"<[^>]+>", "", box.group(0))


def test_it_shows_the_form_prefilled_with_the_organization(citizen: Any, announced: Any) -> None:
    page = citizen.get(f"/r/{announced.token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'value="兰考县人民政府" readonly' in html
    assert "请计算：" in html and 'name="challenge"' in html
    assert 'name="website"' in html  # the honeypot
    # The proof of work needs the page's script; without it the page says so, in Chinese.
    assert '<script src="/static/portal/pow.js" defer></script>' in html
    assert re.search(r'name="pow" value="" data-nonce="[0-9a-f]{32}" data-bits="\d+"', html)
    noscript = re.search(r"<noscript>(.*?)</noscript>", html, re.S)
    assert noscript and "本页需要浏览器启用JavaScript" in noscript.group(1)


def test_it_gives_a_receipt_on_the_answer_page_and_seals_the_report(
    citizen: Any, announced: Any, office_key: str
) -> None:
    sent = citizen.report(
        persons="张某（扶贫办主任）",
        content="2026年9月，张某把扶贫款转到亲戚名下。",
        identity="real",
        name="李四",
        phone="138 0013 8000",
        id_number=VALID_ID.lower(),
    )
    assert sent.status_code == 200  # the answer itself, no redirect to a telling URL
    assert sent["Cache-Control"] == "no-store"
    html = sent.content.decode()
    assert "提交成功" in html and "只显示这一次" in html
    code = receipt_of(sent)
    report = Submission.objects.get()
    assert report.kind == "report" and report.status == "received" and report.parent is None
    assert code not in html.replace(f'<p class="code">{code}</p>', "")  # shown once
    content = opened(office_key, report.envelope)
    assert content == {
        "announcement": announced.token,
        "org_code": "411025",
        "org_name": "兰考县人民政府",
        "reported_persons": "张某（扶贫办主任）",
        "content": "2026年9月，张某把扶贫款转到亲戚名下。",
        "real_name": True,
        "name": "李四",
        "phone": "13800138000",
        "id_number": VALID_ID,
        "files": [],
    }


def test_it_seals_the_same_report_sent_urlencoded_or_as_multipart(
    citizen: Any, announced: Any, office_key: str
) -> None:
    """The form is multipart (it may carry files); a report sent urlencoded (a script, a
    browser's form without its file field) arrives the same, multi-line text included."""
    content = "2026年9月，张某把扶贫款转到亲戚名下。\r\n第二行：金额约3万元 & 100%属实。"
    for encoding in ("urlencoded", "multipart"):
        page = citizen.get(f"/r/{announced.token}/").content.decode()
        data = {"identity": "anonymous", "persons": "张某", "content": content}
        data |= form_answer(page)
        if encoding == "multipart":
            sent = citizen.client.post(f"/r/{announced.token}/", data)
        else:
            sent = citizen.send(f"/r/{announced.token}/", data)
        assert "提交成功" in sent.content.decode(), encoding
    sealed = [opened(office_key, s.envelope) for s in Submission.objects.order_by("seq")]
    assert len(sealed) == 2 and sealed[0] == sealed[1]
    assert sealed[0]["content"] == content and sealed[0]["reported_persons"] == "张某"


def test_it_accepts_an_anonymous_report_without_persons(
    citizen: Any, announced: Any, office_key: str
) -> None:
    sent = citizen.report(content="食堂账目不清。", identity="anonymous")
    assert sent.status_code == 200 and "提交成功" in sent.content.decode()
    content = opened(office_key, Submission.objects.get().envelope)
    assert content["real_name"] is False
    assert content["name"] == content["phone"] == content["id_number"] == ""


WRONG_CHECK = VALID_ID[:-1] + "5"
BAD_INPUT = [
    ({"content": ""}, "反映内容", "请填写反映内容"),
    ({"content": "事" * 5001}, "反映内容", "最多5000个字"),
    ({"identity": ""}, "反映方式", "请选择实名反映或匿名反映"),
    (
        {"identity": "real", "name": "", "phone": "13800138000", "id_number": VALID_ID},
        "姓名",
        "实名反映请填写姓名",
    ),
    (
        {"identity": "real", "name": "李四", "phone": "2380013800", "id_number": VALID_ID},
        "手机号码",
        "11位数字",
    ),
    (
        {"identity": "real", "name": "李四", "phone": "13800138000", "id_number": ""},
        "身份证号码",
        "实名反映请填写身份证号码",
    ),
    (
        {
            "identity": "real",
            "name": "李四",
            "phone": "13800138000",
            "id_number": VALID_ID[:-1] + "5",
        },
        "身份证号码",
        "校验位",
    ),
    (
        {"identity": "real", "name": "李四", "phone": "13800138000", "id_number": "12345"},
        "身份证号码",
        "应为18位",
    ),
    ({"identity": "anonymous", "name": "李四"}, "姓名", "选择匿名反映时请不要填写姓名"),
    ({"identity": "anonymous", "phone": "13800138000"}, "手机号码", "请不要填写手机号码"),
    ({"answer": "999"}, "验证题", "答案不正确"),
    ({"answer": ""}, "验证题", "请填写验证题的答案"),
    ({"challenge": "forged"}, "验证题", "验证信息无效"),
    ({"website": "http://spam.example"}, "提交", "请勿填写"),
]


@pytest.mark.parametrize(("change", "where", "what"), BAD_INPUT)
def test_it_names_what_is_wrong_and_stores_nothing(
    citizen: Any, announced: Any, change: dict[str, str], where: str, what: str
) -> None:
    sent = citizen.report(**change)
    assert sent.status_code == 200
    text = problems(sent)
    assert "内容未保存" in text
    assert re.search(rf"【{where}】[^【]*{what}", text), text
    assert Submission.objects.count() == 0
    assert not ThrottleBucket.objects.filter(key__startswith="submissions:").exists()
    html = sent.content.decode()
    assert "请计算：" in html  # a new challenge to answer


def test_it_keeps_what_was_typed_after_an_error(citizen: Any, announced: Any) -> None:
    sent = citizen.report(persons="王某", content="账外资金。", answer="0")
    html = sent.content.decode()
    assert 'value="王某"' in html and ">账外资金。</textarea>" in html
    assert 'value="anonymous" checked' in html


def test_it_refuses_an_expired_challenge(citizen: Any, announced: Any) -> None:
    with time_machine.travel(dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC), tick=False) as t:
        page = citizen.get(f"/r/{announced.token}/").content.decode()
        t.shift(dt.timedelta(hours=2, minutes=1))
        sent = citizen.client.post(
            f"/r/{announced.token}/",
            {"identity": "anonymous", "content": "内容", **form_answer(page)},
        )
    assert "【验证题】页面打开已超过120分钟，验证题已过期" in problems(sent)
    assert Submission.objects.count() == 0


def test_it_refuses_a_replayed_challenge_and_writes_nothing(citizen: Any, announced: Any) -> None:
    from portal.reports.models import SpentNonce

    page = citizen.get(f"/r/{announced.token}/").content.decode()
    data = {"identity": "anonymous", "content": "村里的扶贫款被挪用。", **form_answer(page)}
    assert "提交成功" in citizen.client.post(f"/r/{announced.token}/", data).content.decode()
    before = (Submission.objects.count(), list(ThrottleBucket.objects.values_list("count")))
    nonces = SpentNonce.objects.count()
    again = citizen.client.post(f"/r/{announced.token}/", data)
    assert "【验证题】这道验证题已经使用过，每道题只能提交一次" in problems(again)
    assert "提交成功" not in again.content.decode()
    after = (Submission.objects.count(), list(ThrottleBucket.objects.values_list("count")))
    assert after == before == (1, [(1,)])  # no second report, not even a count of the cap
    assert SpentNonce.objects.count() == nonces
    # Kept past the token's life, to the whole hour: no minute of sending is told.
    expires = SpentNonce.objects.get().expires
    assert (expires.minute, expires.second, expires.microsecond) == (0, 0, 0)


def test_it_spends_the_challenge_on_a_wrong_sum(citizen: Any, announced: Any) -> None:
    """A script cannot try the 17 possible sums with one page's work."""
    page = citizen.get(f"/r/{announced.token}/").content.decode()
    data = {"identity": "anonymous", "content": "内容", **form_answer(page)}
    right = data["answer"]
    data["answer"] = str(int(right) + 1)
    assert "验证题的答案不正确" in problems(citizen.client.post(f"/r/{announced.token}/", data))
    data["answer"] = right
    assert "这道验证题已经使用过" in problems(citizen.client.post(f"/r/{announced.token}/", data))
    assert Submission.objects.count() == 0


@pytest.mark.parametrize("pow_", ["", "x", "not-the-counter"])
def test_it_refuses_a_report_without_its_proof_of_work(
    citizen: Any, announced: Any, pow_: str, settings: Any
) -> None:
    from portal.reports.challenge import pow_solves

    page = citizen.get(f"/r/{announced.token}/").content.decode()
    data = {"identity": "anonymous", "content": "内容", **form_answer(page)}
    if pow_ == "not-the-counter":
        nonce = re.search(r'data-nonce="([0-9a-f]+)"', page).group(1)  # type: ignore[union-attr]
        pow_ = next(
            str(c) for c in range(10_000) if not pow_solves(nonce, str(c), settings.PORTAL_POW_BITS)
        )
    data["pow"] = pow_
    sent = citizen.client.post(f"/r/{announced.token}/", data)
    assert "【验证题】页面的防自动提交计算尚未完成。请确认浏览器已启用JavaScript" in problems(sent)
    assert Submission.objects.count() == 0


def _file(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_it_refuses_too_many_files(citizen: Any, announced: Any) -> None:
    files = [_file(f"说明{n}.txt", f"第{n}页".encode()) for n in range(6)]
    sent = citizen.report(files=files)
    assert "【附件】最多可上传5个附件，您选择了6个" in problems(sent)
    assert Submission.objects.count() == 0


def test_it_refuses_a_file_over_the_size_limit(citizen: Any, announced: Any, settings: Any) -> None:
    settings.PORTAL_MAX_FILE_BYTES = 1000
    sent = citizen.report(files=[_file("账目.txt", "账".encode() * 400)])
    assert "【附件】文件“账目.txt”大小为1.2 KB，超过1000 字节的上限" in problems(sent)
    assert Submission.objects.count() == 0


def test_it_refuses_a_dangerous_file(citizen: Any, announced: Any) -> None:
    sent = citizen.report(files=[_file("扫描件.pdf", b"MZ\x90\x00" + b"\x00" * 300)])
    assert "【附件】文件“扫描件.pdf”是可执行程序，出于安全原因不予接收" in problems(sent)
    assert "如有附件，请重新选择" in sent.content.decode()
    assert Submission.objects.count() == 0


def test_it_answers_404_for_an_ended_inspection(citizen: Any, announced: Any) -> None:
    announced.active = False
    announced.save()
    assert citizen.get(f"/r/{announced.token}/").status_code == 404
    page = citizen.get(f"/a/{announced.token}/")
    assert page.status_code == 200 and "受理期已结束" in page.content.decode()


def test_it_stops_at_the_daily_limit_of_submissions(
    citizen: Any, announced: Any, settings: Any
) -> None:
    settings.PORTAL_SUBMISSIONS_PER_DAY = 2
    assert "提交成功" in citizen.report().content.decode()
    assert "提交成功" in citizen.report().content.decode()
    third = citizen.report(content="第三份反映的内容。")
    html = third.content.decode()
    assert third.status_code == 503
    busy = re.search(r'<section class="busy".*?</section>', html, re.S)
    assert busy and "系统繁忙" in busy.group(0)
    assert "今日网上提交的数量已达系统上限，您填写的内容尚未保存。请明天再试" in busy.group(0)
    assert "第三份反映的内容。" in html  # what was typed is still in the form
    assert Submission.objects.count() == 2


def test_a_report_over_the_cap_is_counted_and_not_kept(
    citizen: Any, announced: Any, settings: Any
) -> None:
    """The day's count and the insert it allows are one statement on PostgreSQL: the attempt
    over the cap is counted, and nothing of it is kept."""
    settings.PORTAL_SUBMISSIONS_PER_DAY = 1
    assert "提交成功" in citizen.report().content.decode()
    assert citizen.report().status_code == 503
    assert ThrottleBucket.objects.get(key="submissions:all").count == 2
    assert Submission.objects.count() == 1


def test_a_report_is_three_queries_on_postgresql(citizen: Any, announced: Any) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    page = citizen.get(f"/r/{announced.token}/").content.decode()
    data = {"identity": "anonymous", "content": "村里的扶贫款被挪用。", **form_answer(page)}
    with CaptureQueriesContext(connection) as queries:
        assert "提交成功" in citizen.client.post(f"/r/{announced.token}/", data).content.decode()
    # The announcement, the spent nonce, then the day's count with the insert (apart on SQLite).
    assert len(queries) == (3 if connection.vendor == "postgresql" else 4)
