"""The second factor after the password: who is held where, the code and the recovery codes,
the throttle on wrong codes, the account's own page and the security admin's reset."""

from __future__ import annotations

import re
import time

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xunshi.audit.models import AuditEvent
from xunshi.testsupport.signin import force_login_password_only, totp_code

VERIFY, ENROL = "/accounts/otp/verify/", "/accounts/otp/enrol/"
REQUIRED = ["alice", "gina", "sam", "sue", "aud"]  # office, leading group, the three admins
OPTIONAL = ["bob", "carol", "dave", "erin"]  # team cadres and the liaison


def _signed_in_by_password(world, name: str) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    force_login_password_only(client, world.users[name])
    return client


def _enrolled(client: Client) -> tuple[str, list[str]]:
    """Enrol through the page as a person would: read the secret, type its code."""
    page = client.get(ENROL).content.decode()
    secret = re.search(r'id="otp-secret">([^<]+)<', page)[1]  # type: ignore[index]
    answer = client.post(ENROL, {"code": totp_code(secret, time.time())})
    assert answer.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", answer.content.decode())
    return secret, codes


@pytest.mark.parametrize("name", REQUIRED)
def test_an_account_that_must_have_a_second_factor_is_held_on_enrolment(world, name) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, name)
    for url in ["/", "/desk/", reverse("otp_settings"), reverse("password_change")]:
        answer = client.get(url)
        assert answer.status_code == 302, url
        assert answer["Location"].startswith(ENROL), url
    page = client.get(ENROL)
    assert page.status_code == 200 and "您的角色须使用双因素认证" in page.content.decode()
    # Signing out stays possible.
    assert client.post(reverse("logout")).status_code == 302


@pytest.mark.parametrize("name", OPTIONAL)
def test_an_account_that_may_go_without_goes_on(world, name) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, name)
    assert client.get("/desk/").status_code == 200


def test_the_forced_password_change_comes_before_enrolment(world) -> None:  # type: ignore[no-untyped-def]
    alice = world.users["alice"]
    alice.must_change_password = True
    alice.save(update_fields=["must_change_password"])
    client = Client()
    force_login_password_only(client, alice)
    assert client.get("/desk/")["Location"] == reverse("password_change")
    assert client.get(reverse("password_change")).status_code == 200


def test_the_office_enrols_then_lands_and_needs_its_code_next_time(world) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, "alice")
    secret, codes = _enrolled(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/desk/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.user.otp_enrol", actor_username="alice"
    ).exists()

    # The next sign-in asks for the code before anything, the password page included.
    again = _signed_in_by_password(world, "alice")
    assert again.get("/desk/")["Location"].startswith(VERIFY)
    assert again.get(reverse("password_change"))["Location"].startswith(VERIFY)
    # Someone with the password only cannot bind an authenticator of their own instead.
    assert again.get(ENROL)["Location"].startswith(VERIFY)
    answer = again.post(VERIFY + "?next=/rounds/", {"code": totp_code(secret, time.time() + 30)})
    assert answer.status_code == 302 and answer["Location"] == "/rounds/"
    assert again.get("/desk/").status_code == 200


def test_a_wrong_code_is_refused_in_chinese_recorded_and_slows_the_next(world) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, "alice")
    secret, _codes = _enrolled(client)
    again = _signed_in_by_password(world, "alice")
    with time_machine.travel(time.time() + 60, tick=False):
        wrong = again.post(VERIFY, {"code": "000000"})
        assert wrong.status_code == 200
        assert "验证码不正确" in wrong.content.decode()
        # The device waits a second before it looks at the next code, even a right one.
        held = again.post(VERIFY, {"code": totp_code(secret, time.time())})
        assert held.status_code == 429
        assert "验证码错误次数较多，请在1秒后再试。" in held.content.decode()
        assert again.get("/desk/")["Location"].startswith(VERIFY)
    assert (
        AuditEvent.objects.filter(
            action="accounts.user.otp_verify_failed", actor_username="alice"
        ).count()
        == 1
    )
    with time_machine.travel(time.time() + 62, tick=False):
        right = again.post(VERIFY, {"code": totp_code(secret, time.time())})
        assert right.status_code == 302


def test_a_code_is_taken_once(world) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, "alice")
    secret, _codes = _enrolled(client)
    code = totp_code(secret, time.time() + 30)
    first, second = _signed_in_by_password(world, "alice"), _signed_in_by_password(world, "alice")
    assert first.post(VERIFY, {"code": code}).status_code == 302
    replay = second.post(VERIFY, {"code": code})
    assert replay.status_code == 200 and "验证码不正确" in replay.content.decode()


def test_a_recovery_code_works_once_only(world) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, "gina")
    _secret, codes = _enrolled(client)
    first = _signed_in_by_password(world, "gina")
    answer = first.post(VERIFY, {"code": codes[3].upper()}, follow=True)
    assert answer.status_code == 200 and "还剩9个" in answer.content.decode()
    assert AuditEvent.objects.filter(action="accounts.user.recovery_used").count() == 1
    again = _signed_in_by_password(world, "gina")
    with time_machine.travel(time.time() + 5, tick=False):
        refused = again.post(VERIFY, {"code": codes[3]})
        assert "验证码不正确" in refused.content.decode()
        assert again.get("/desk/")["Location"].startswith(VERIFY)
    assert StaticToken.objects.filter(device__user=world.users["gina"]).count() == 9


def test_an_optional_account_enrols_and_removes_its_own(world, login) -> None:  # type: ignore[no-untyped-def]
    client = _signed_in_by_password(world, "bob")
    page = client.get(reverse("otp_settings")).content.decode()
    assert "未启用" in page and "启用双因素认证" in page
    _enrolled(client)
    page = client.get(reverse("otp_settings")).content.decode()
    assert "已启用" in page and "还有10个未用的恢复码" in page
    # Once enrolled, bob's next sign-in asks for his code too.
    assert _signed_in_by_password(world, "bob").get("/desk/")["Location"].startswith(VERIFY)
    assert client.post(reverse("otp_remove")).status_code == 302
    assert not TOTPDevice.objects.filter(user=world.users["bob"]).exists()
    assert _signed_in_by_password(world, "bob").get("/desk/").status_code == 200
    # An account that must have one cannot remove it.
    alice = login(world.users["alice"])
    assert "停用双因素认证" not in alice.get(reverse("otp_settings")).content.decode()
    assert alice.post(reverse("otp_remove")).status_code == 403


def test_the_security_admin_resets_another_account_but_not_her_own(world, login) -> None:  # type: ignore[no-untyped-def]
    alice_client = _signed_in_by_password(world, "alice")
    _enrolled(alice_client)
    sue = login(world.users["sue"])  # signed in with both factors (testsupport)
    listing = sue.get(reverse("user_list")).content.decode()
    assert "重置双因素认证" in listing
    alice = world.users["alice"]
    answer = sue.post(reverse("otp_reset", args=[alice.pk]), follow=True)
    assert "已重置 alice 的双因素认证" in answer.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()
    assert AuditEvent.objects.filter(
        action="accounts.user.otp_reset", actor_username="sue", object_id=str(alice.pk)
    ).exists()
    # alice enrols afresh at her next sign-in.
    assert _signed_in_by_password(world, "alice").get("/desk/")["Location"].startswith(ENROL)
    # Not her own (三员: another admin's act), and nobody else may.
    own = sue.post(reverse("otp_reset", args=[world.users["sue"].pk]))
    assert own.status_code == 403
    assert TOTPDevice.objects.filter(user=world.users["sue"]).exists()
    for name in ["sam", "aud", "alice"]:
        assert (
            login(world.users[name])
            .post(reverse("otp_reset", args=[world.users["gina"].pk]))
            .status_code
            == 403
        ), name


def test_the_users_list_filters_the_accounts_without_a_second_factor(world, login) -> None:  # type: ignore[no-untyped-def]
    sam = login(world.users["sam"])  # sam now has an authenticator
    page = sam.get(reverse("user_list") + "?no2fa=1").content.decode()
    names = set(re.findall(r"<tr><td>([a-z]+)</td>", page))
    assert names == {"alice", "gina", "sue", "aud"}
