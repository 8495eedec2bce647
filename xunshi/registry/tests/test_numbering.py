"""The bodies' numbered series: each counts on its own, without gaps, and a creation refused
after it drew its number gives the number back. (Concurrent draws: the PostgreSQL test in
fieldwork/tests/test_papers.py.)"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction

from xunshi.accounts.actors import SYSTEM
from xunshi.registry.actions import body_create, number_draw
from xunshi.registry.models import InspectingBody, SeriesKind
from xunshi.registry.numbering import document_number

PAPER, NOTICE = SeriesKind.PAPER, SeriesKind.NOTICE


@pytest.fixture
def henan(db: None) -> InspectingBody:
    return body_create(actor=SYSTEM, name="中共河南省委", level="province", region_code="410000")


def _paper(body: InspectingBody, year: int, team: int) -> str:
    with transaction.atomic():
        seq = number_draw(body=body, kind=PAPER, year=year, team_number=team)
    return document_number(body, PAPER, year, seq, team_number=team)


def _notice(body: InspectingBody, year: int) -> str:
    with transaction.atomic():
        seq = number_draw(body=body, kind=NOTICE, year=year)
    return document_number(body, NOTICE, year, seq)


def test_it_numbers_each_series_of_a_body_on_its_own(henan):
    kaifeng = body_create(actor=SYSTEM, name="中共开封市委", level="city", region_code="410200")
    assert [_paper(henan, 2026, 1), _paper(henan, 2026, 1)] == [
        "豫巡1组〔2026〕1号",
        "豫巡1组〔2026〕2号",
    ]
    assert _paper(henan, 2026, 2) == "豫巡2组〔2026〕1号"
    assert _paper(henan, 2027, 1) == "豫巡1组〔2027〕1号"
    assert [_notice(henan, 2026), _notice(henan, 2026)] == [
        "豫巡办督〔2026〕1号",
        "豫巡办督〔2026〕2号",
    ]
    assert _notice(kaifeng, 2026) == "豫巡察办督〔2026〕1号"
    assert _paper(henan, 2026, 1) == "豫巡1组〔2026〕3号"


def test_it_gives_back_the_number_of_a_creation_refused_in_its_transaction(henan):
    assert _notice(henan, 2026) == "豫巡办督〔2026〕1号"
    with pytest.raises(ValidationError), transaction.atomic():
        number_draw(body=henan, kind=NOTICE, year=2026)
        raise ValidationError("发出督办函失败。")  # refused after the number was drawn
    assert _notice(henan, 2026) == "豫巡办督〔2026〕2号"


def test_it_refuses_to_draw_outside_a_transaction():
    # Outside one the lock would end at once and a later refusal would burn the number.
    with pytest.raises(RuntimeError, match="inside the transaction"):
        number_draw(body=InspectingBody(pk=1), kind=NOTICE, year=2026)
