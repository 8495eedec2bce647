from __future__ import annotations

from django.urls import reverse


def test_it_speaks_chinese_to_a_browser_set_to_english(world, login):
    client = login(world.users["alice"])
    response = client.get(reverse("org_list"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert '<html lang="zh-hans">' in response.content.decode()
