"""The feedback of a 提级巡察: 兰考's office and leading group download the feedback and the
rectification notice of the city's inspection of 兰考县财政局, as the unit's liaison does; the
problems list, clues and report stay the city's (404), and 杞县 reaches none of it."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.urls import reverse

from xunshi.rounds.tests.kaifeng import (
    PROBLEMS,
    build_kaifeng,
    elevated_inspection,
    elevated_with_feedback,
)


@pytest.fixture
def kf(world):
    return build_kaifeng(world)


def test_the_county_downloads_the_elevated_feedback_and_notice(world, kf, login):
    elevated = elevated_with_feedback(kf)
    for who in ["lkoffice", "lkgroup"]:
        client = login(kf.users[who])
        feedback = client.get(reverse("feedback_docx", args=[elevated.pk]))
        assert feedback.status_code == 200, who
        with zipfile.ZipFile(io.BytesIO(feedback.content)) as docx:
            text = docx.read("word/document.xml").decode()
        assert all(title in text for title in PROBLEMS), who
        assert client.get(reverse("notice_docx", args=[elevated.pk])).status_code == 200, who
        for name in ["report_page", "report_docx", "problem_list", "clue_list"]:
            status = client.get(reverse(name, args=[elevated.pk])).status_code
            # The leading group has no clue pages at all (403); everything else is not found.
            assert status == (403 if (who, name) == ("lkgroup", "clue_list") else 404), (who, name)
    sibling = login(kf.users["qxoffice"])
    assert sibling.get(reverse("feedback_docx", args=[elevated.pk])).status_code == 404
    city = login(kf.users["kfoffice"])
    page = city.get(reverse("problem_list", args=[elevated.pk])).content.decode()
    assert all(title in page for title in PROBLEMS)


def test_the_county_gets_no_feedback_before_it_is_given(world, kf, login):
    planned = elevated_inspection(kf)
    client = login(kf.users["lkoffice"])
    assert client.get(reverse("feedback_docx", args=[planned.pk])).status_code == 404
