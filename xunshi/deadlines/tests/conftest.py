"""People for the deadlines tests that need no province: an office user and a system admin."""

from __future__ import annotations

import pytest

from xunshi.accounts.actors import SYSTEM
from xunshi.accounts.models import Role, User
from xunshi.registry.actions import body_create
from xunshi.registry.models import InspectingBody
from xunshi.users import actions as account_actions


def _user(username: str, full_name: str, role: str) -> User:
    user = account_actions.user_create(
        actor=SYSTEM, username=username, full_name=full_name, password="Tq7#vK2p!Lm9x"
    )
    body = InspectingBody.objects.order_by("pk").first() or body_create(
        actor=SYSTEM, name="中共河南省委", level="province", region_code="410000"
    )
    account_actions.user_grant_role(actor=SYSTEM, user=user, role=role, body=body)
    return user


@pytest.fixture
def alice(db: None) -> User:
    return _user("alice", "赵敏", Role.OFFICE)


@pytest.fixture
def sam(db: None) -> User:
    return _user("sam", "吴刚", Role.SYSTEM_ADMIN)
