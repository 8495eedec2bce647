"""The password hasher computes Django's PBKDF2-SHA256 (xunshi/accounts/hashers.py): the same
stored hashes as Django's own hasher, both ways, at Django's iterations, and the one production
hashes and checks with."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher as DjangoPBKDF2

from xunshi.accounts.hashers import PBKDF2PasswordHasher
from xunshi.web.tests.production import production_env


@pytest.mark.parametrize("password", ["Tq7#vK2p!Lm9x", "巡视巡察-2026", ""])
def test_it_stores_the_hash_django_stores_and_checks_django_s(password: str) -> None:
    ours, django = PBKDF2PasswordHasher(), DjangoPBKDF2()
    salt = django.salt()
    for rounds in (1, 4096, None):  # None: Django's own count (1,000,000 in Django 5.2)
        made = ours.encode(password, salt, rounds)
        assert made == django.encode(password, salt, rounds)
        assert django.verify(password, made) and ours.verify(password, made)
        assert not ours.verify(password + "x", made)
    assert ours.iterations == django.iterations and ours.algorithm == "pbkdf2_sha256"


PROBE = """
import django
django.setup()
from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, get_hasher
old = PBKDF2PasswordHasher().encode("Tq7#vK2p!Lm9x", "saltsaltsalt1234", 1000)
hasher = get_hasher()
print(type(hasher).__module__, hasher.iterations == PBKDF2PasswordHasher.iterations)
print(check_password("Tq7#vK2p!Lm9x", old), check_password("Tq7#vK2p!Lm9y", old))
"""


def test_production_hashes_with_it_and_still_checks_a_hash_made_by_django() -> None:
    env = production_env(DJANGO_SETTINGS_MODULE="config.settings")
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["xunshi.accounts.hashers", "True", "True", "False"]
