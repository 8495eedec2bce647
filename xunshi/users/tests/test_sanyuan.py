"""三员 enforced in the actions (issue 12, "三员 can be bypassed"): no account holds two of the
three admin roles or an admin role and a role of the work, ever; a change to an admin's account
waits for a second admin's approval, and is made only then, in the same transaction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import AdminRequest, AdminRequestStatus, Role, User
from xunshi.audit.models import AuditEvent
from xunshi.rounds import actions as rnd
from xunshi.testsupport.world import PASSWORD
from xunshi.users import actions, request_actions, team_actions


def _messages(response) -> str:  # type: ignore[no-untyped-def]
    return " ".join(str(m) for m in response.context["messages"])


def _ask(client, target: User, kind: str, reason: str = "岗位调整"):  # type: ignore[no-untyped-def]
    return client.post(
        reverse("admin_request_create", args=[target.pk]),
        {"kind": kind, "reason": reason},
        follow=True,
    )


def _pending(target: User) -> AdminRequest:
    return AdminRequest.objects.get(target=target, status=AdminRequestStatus.PENDING)


# --- the finding reproduced: the security admin made the system admin office staff ---------


def test_it_refuses_the_office_role_to_the_system_admin(world, login):
    sam = world.users["sam"]
    response = login(world.users["sue"]).post(
        reverse("user_grant", args=[sam.pk]), {"role": "office", "body": world.body.pk}
    )
    assert "三员分立：该账号担任过系统管理员，不能再担任业务角色" in response.content.decode()
    sam.refresh_from_db()
    assert sam.role == Role.SYSTEM_ADMIN
    # Not even the system (a command, the demo) may: the rule is the account's whole life.
    with pytest.raises(ValidationError, match="三员分立"):
        actions.user_grant_role(actor=SYSTEM, user=sam, role=Role.OFFICE, body=world.body)


def test_it_never_makes_an_office_account_an_admin(world, login):
    alice = world.users["alice"]
    response = login(world.users["sue"]).post(
        reverse("user_grant", args=[alice.pk]),
        {"role": "audit_admin", "reason": "人手不足"},
    )
    assert "三员分立：该账号担任过业务角色，不能再担任审计管理员" in response.content.decode()
    assert not AdminRequest.objects.exists()
    alice.refresh_from_db()
    assert alice.role == Role.OFFICE


def test_it_remembers_a_role_of_the_work_after_it_is_changed(world):
    # gina was of the leading group; made office staff, she still can never be an admin.
    gina = world.users["gina"]
    actions.user_grant_role(actor=SYSTEM, user=gina, role=Role.OFFICE, body=world.body)
    with pytest.raises(ValidationError, match="担任过业务角色"):
        actions.user_grant_role(actor=SYSTEM, user=gina, role=Role.SYSTEM_ADMIN)


def test_it_keeps_an_admin_to_one_admin_role_for_life(world):
    with pytest.raises(ValidationError, match="担任过系统管理员，不能再担任审计管理员"):
        actions.user_grant_role(actor=SYSTEM, user=world.users["sam"], role=Role.AUDIT_ADMIN)


def test_it_refuses_an_admin_role_to_an_account_tied_to_a_cadre(world):
    team = rnd.team_create(actor=SYSTEM, round=world.round, number=3, rule_set=world.team1.rule_set)
    rnd.membership_add(actor=SYSTEM, team=team, cadre=world.cadres["hong"], role="member")
    team_actions.team_accounts_create(actor=world.users["sam"], team=team)
    hong = User.objects.get(cadre=world.cadres["hong"])
    with pytest.raises(ValidationError, match="管理员账号不能关联干部库人员或被巡视单位"):
        request_actions.admin_request_create(
            actor=world.users["sue"],
            target=hong,
            kind="grant",
            role=Role.SECURITY_ADMIN,
            reason="兼任",
        )


@pytest.mark.parametrize(
    "change",
    [
        {"role": "office"},  # an admin with a role of the work
        {"role": "system_admin", "admin_role_once": "system_admin", "case_role_once": True},
        {"admin_role_once": "audit_admin"},  # a second admin role
    ],
)
def test_the_database_refuses_what_the_actions_refuse(world, change):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=world.users["sam"].pk).update(**change)


def test_the_database_refuses_an_admin_tied_to_a_unit(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.filter(pk=world.users["aud"].pk).update(org=world.lankao)


# --- the finding reproduced: the system admin disabled the audit admin --------------------


def test_the_system_admin_alone_cannot_disable_the_audit_admin(world, login):
    aud = world.users["aud"]
    client = login(world.users["sam"])
    response = client.post(reverse("user_toggle", args=[aud.pk]), follow=True)
    assert "须经另一名管理员批准" in _messages(response)
    response = _ask(client, aud, "disable", "审计管理员离职")
    assert "已提交申请，待另一名管理员批准后生效。" in _messages(response)
    aud.refresh_from_db()
    assert aud.is_active
    req = _pending(aud)
    assert (req.kind, req.requested_by, req.reason) == (
        "disable",
        world.users["sam"],
        "审计管理员离职",
    )
    assert AuditEvent.objects.filter(action="accounts.adminrequest.create").count() == 1
    assert not AuditEvent.objects.filter(action="accounts.user.disable").exists()


def test_a_second_admin_approves_and_the_account_is_disabled(world, login, client):
    aud = world.users["aud"]
    _ask(login(world.users["sam"]), aud, "disable")
    req = _pending(aud)
    response = login(world.users["sue"]).post(
        reverse("admin_request_approve", args=[req.pk]), follow=True
    )
    assert "已批准：停用账号 aud。" in _messages(response)
    aud.refresh_from_db()
    req.refresh_from_db()
    assert not aud.is_active
    assert (req.status, req.decided_by) == ("approved", world.users["sue"])
    disabled = AuditEvent.objects.get(action="accounts.user.disable")
    assert disabled.actor_id == world.users["sue"].pk and disabled.after["request"] == req.pk
    assert AuditEvent.objects.filter(action="accounts.adminrequest.approve").count() == 1
    # The audit admin can no longer sign in.
    client.logout()
    response = client.post("/accounts/login/", {"username": "aud", "password": PASSWORD})
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_requester_cannot_approve_their_own_request(world, login):
    aud = world.users["aud"]
    client = login(world.users["sam"])
    _ask(client, aud, "disable")
    req = _pending(aud)
    response = client.post(reverse("admin_request_approve", args=[req.pk]), follow=True)
    assert "三员分立：申请人不能批准自己的申请。" in _messages(response)
    aud.refresh_from_db()
    assert aud.is_active and _pending(aud) == req
    # Nor may the admin whose account it is.
    response = login(aud).post(reverse("admin_request_approve", args=[req.pk]), follow=True)
    assert "三员分立：不能批准对自己账号的变更。" in _messages(response)
    aud.refresh_from_db()
    assert aud.is_active


def test_the_requests_page_offers_approval_only_to_who_may_decide(world, login):
    _ask(login(world.users["sue"]), world.users["sam"], "disable")
    page = login(world.users["aud"]).get(reverse("admin_request_list")).content.decode()
    assert "批准" in page and "admin_request_approve" not in page
    assert reverse("admin_request_approve", args=[_pending(world.users["sam"]).pk]) in page
    for name in ("sue", "sam"):
        page = login(world.users[name]).get(reverse("admin_request_list")).content.decode()
        assert "待另一名管理员批准" in page
        assert reverse("admin_request_approve", args=[_pending(world.users["sam"]).pk]) not in page


def test_a_refused_request_leaves_the_account_as_it_was(world, login):
    sam = world.users["sam"]
    _ask(login(world.users["sue"]), sam, "disable")
    req = _pending(sam)
    client = login(world.users["aud"])
    response = client.post(reverse("admin_request_refuse", args=[req.pk]), follow=True)
    assert "请填写不予批准的理由。" in _messages(response)
    client.post(reverse("admin_request_refuse", args=[req.pk]), {"note": "理由不充分"})
    req.refresh_from_db()
    sam.refresh_from_db()
    assert (req.status, req.note) == ("refused", "理由不充分")
    assert sam.is_active
    assert AuditEvent.objects.filter(action="accounts.adminrequest.refuse").count() == 1
    response = client.post(reverse("admin_request_approve", args=[req.pk]), follow=True)
    assert "该申请已处理。" in _messages(response)


def test_it_refuses_a_request_without_a_reason_or_about_an_ordinary_account(world):
    sam = world.users["sam"]
    with pytest.raises(ValidationError, match="请填写申请理由"):
        request_actions.admin_request_create(
            actor=sam, target=world.users["aud"], kind="disable", reason="  "
        )
    with pytest.raises(ValidationError, match="其他账号请直接办理"):
        request_actions.admin_request_create(
            actor=sam, target=world.users["bob"], kind="disable", reason="调离"
        )
    with pytest.raises(ValidationError, match="审计管理员不能申请停用账号"):
        request_actions.admin_request_create(
            actor=world.users["aud"], target=sam, kind="disable", reason="调离"
        )


def test_an_ordinary_account_is_still_disabled_by_the_system_admin_alone(world, login):
    bob = world.users["bob"]
    login(world.users["sam"]).post(reverse("user_toggle", args=[bob.pk]))
    bob.refresh_from_db()
    assert not bob.is_active
    assert not AdminRequest.objects.exists()


# --- unlocking and granting an admin role ----------------------------------------------------


def test_unlocking_an_admin_needs_a_second_admin(world, login):
    sam = world.users["sam"]
    client = login(world.users["sue"])
    response = client.post(reverse("lockout_reset"), {"username": "sam"}, follow=True)
    assert "解除管理员账号的登录锁定须经另一名管理员批准" in _messages(response)
    assert not AuditEvent.objects.filter(action="accounts.lockout.reset").exists()
    _ask(client, sam, "unlock", "忘记密码多次输错")
    login(world.users["aud"]).post(reverse("admin_request_approve", args=[_pending(sam).pk]))
    reset = AuditEvent.objects.get(action="accounts.lockout.reset")
    assert reset.actor_id == world.users["aud"].pk and reset.object_id == "sam"


def test_the_command_line_still_unlocks_an_admin(world, capsys):
    call_command("unlock", "sam")
    assert "已解除 sam 的登录锁定" in capsys.readouterr().out
    assert AuditEvent.objects.get(action="accounts.lockout.reset").actor_id is None


def test_a_new_admin_is_made_on_approval(world, login):
    new = actions.user_create(
        actor=world.users["sam"], username="zhouli", full_name="周丽", password="Strong-Pass-2026x"
    )
    response = login(world.users["sue"]).post(
        reverse("user_grant", args=[new.pk]),
        {"role": "audit_admin", "reason": "增设审计管理员"},
        follow=True,
    )
    assert "已提交申请" in _messages(response)
    new.refresh_from_db()
    assert new.role == ""
    login(world.users["sam"]).post(reverse("admin_request_approve", args=[_pending(new).pk]))
    new.refresh_from_db()
    assert (new.role, new.admin_role_once) == (Role.AUDIT_ADMIN, Role.AUDIT_ADMIN)
    # From now on it is an admin's account: the system admin alone cannot disable it.
    with pytest.raises(ValidationError, match="须经另一名管理员批准"):
        actions.user_set_active(actor=world.users["sam"], user=new, active=False)


def test_one_pending_request_of_a_kind_per_account(world, login):
    client = login(world.users["sam"])
    _ask(client, world.users["aud"], "disable")
    response = _ask(client, world.users["aud"], "disable", "再次申请")
    assert "该账号已有一项待批准的同类申请。" in _messages(response)
    assert AdminRequest.objects.count() == 1


# --- the desk --------------------------------------------------------------------------------


def test_the_desk_shows_the_request_to_the_admins_who_may_approve_it(world, login):
    _ask(login(world.users["sue"]), world.users["sam"], "disable")
    page = login(world.users["aud"]).get(reverse("desk_home")).content.decode()
    assert "待我批准的管理员账号变更" in page and "吴刚（sam）：停用账号" in page
    for name in ("sue", "sam"):  # the one who asked, the one whose account it is
        page = login(world.users[name]).get(reverse("desk_home")).content.decode()
        assert "待我批准的管理员账号变更" not in page
