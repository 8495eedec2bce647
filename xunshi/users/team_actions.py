"""Opening the accounts of a team's cadres in one step, and confirming their role in one.

The 三员 split stays as it is for single accounts: the system admin opens accounts, the
security admin grants roles. For a team the system admin opens, in one transaction, an
account for each cadre of the team who has none: the user name from the name's pinyin
(王建国 → wangjianguo, wangjianguo2 when taken), a random first password shown once to
the system admin, a first sign-in that must change it, and the account tied to its cadre
(who the account is, not what it may do: the account has no role and can open no page of
the work). The security admin then confirms, in one step, the role 巡视组干部 for every
such account of the team (`user_grant_role` for each, so each grant is checked and
audited as if done one by one).
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from pypinyin import lazy_pinyin

from xunshi.accounts.actors import Actor
from xunshi.accounts.models import Role, User
from xunshi.audit.actions import record, snapshot
from xunshi.registry.models import Cadre
from xunshi.rounds.models import Team

from .actions import USER_FIELDS, user_grant_role

__all__ = ["FirstPassword", "team_accounts_create", "team_grants_confirm", "username_for"]

# No 0/O, 1/l/I: the password is read off the screen and typed once.
_LOWER = "abcdefghijkmnpqrstuvwxyz"
_UPPER = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_DIGITS = "23456789"
_SYMBOLS = "-_#@"


@dataclass(frozen=True)
class FirstPassword:
    """An opened account and its first password (shown once, never stored)."""

    user: User
    password: str


def _first_password(user: User) -> str:
    """12 characters of all four classes, passing the password rules."""
    while True:
        chars = [secrets.choice(s) for s in (_LOWER, _UPPER, _DIGITS, _SYMBOLS)]
        chars += [secrets.choice(_LOWER + _UPPER + _DIGITS) for _ in range(8)]
        secrets.SystemRandom().shuffle(chars)
        password = "".join(chars)
        try:
            validate_password(password, user)
        except ValidationError:
            continue
        return password


def username_for(name: str, taken: set[str], fallback: str) -> str:
    """The name's pinyin in lower case (王建国 → wangjianguo), with 2, 3 … when taken;
    `fallback` for a name without Chinese or Latin letters."""
    letters = "".join(lazy_pinyin(name, errors="ignore")).lower()
    base = "".join(c for c in letters if c in string.ascii_lowercase) or fallback.lower()
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        candidate = f"{base}{n}"
    return candidate


def _cadres_without_account(team: Team) -> list[Cadre]:
    rows = team.memberships.filter(cadre__user__isnull=True).select_related("cadre")
    return [m.cadre for m in rows.order_by("role", "pk")]


def team_accounts_create(*, actor: Actor, team: Team) -> list[FirstPassword]:
    """Open an account for every cadre of the team who has none (system admin); returns
    them with their first passwords, to be shown once."""
    cadres = _cadres_without_account(team)
    if not cadres:
        raise ValidationError(f"{team.name}的组员都已有账号。")
    opened = []
    with transaction.atomic():
        # Lock the team so that two clicks do not open two accounts for one cadre.
        Team.objects.select_for_update().get(pk=team.pk)
        taken = {u.lower() for u in User.objects.values_list("username", flat=True)}
        for cadre in cadres:
            if User.objects.filter(cadre=cadre).exists():
                continue
            username = username_for(cadre.name, taken, f"user{cadre.code}")
            taken.add(username)
            user = User(username=username, full_name=cadre.name, cadre=cadre)
            password = _first_password(user)
            user.set_password(password)
            user.must_change_password = True
            user.save()
            record(
                actor=actor,
                action="accounts.user.create",
                obj=user,
                after=snapshot(user, USER_FIELDS),
            )
            opened.append(FirstPassword(user, password))
    return opened


def team_grants_confirm(*, actor: Actor, team: Team) -> list[User]:
    """Grant 巡视组干部 to every account of the team's cadres that has no role yet
    (security admin), each grant checked and audited by `user_grant_role`."""
    cadre_ids = team.memberships.values_list("cadre_id", flat=True)
    waiting = list(
        User.objects.filter(cadre_id__in=cadre_ids, role="")
        .select_related("cadre__body")
        .order_by("username")
    )
    if not waiting:
        raise ValidationError(f"{team.name}没有待确认角色的账号。")
    with transaction.atomic():
        for user in waiting:
            user_grant_role(actor=actor, user=user, role=Role.INSPECTOR, cadre=user.cadre)
    return waiting
