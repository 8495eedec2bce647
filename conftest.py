"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("XUNSHI_ENV", "test")


@pytest.fixture
def world(db: None):  # type: ignore[no-untyped-def]
    from xunshi.testworld import build_world

    return build_world()


@pytest.fixture
def login(client):  # type: ignore[no-untyped-def]
    """login(user) signs the test client in as that user and returns the client."""

    def _login(user):  # type: ignore[no-untyped-def]
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login
