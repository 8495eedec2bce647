"""The environment of a production process, with throwaway keys: what the tests of the
production settings (JSON logs, the deploy checks, the offline bundle) start Python with."""

from __future__ import annotations

import os
import secrets

from envelope import generate_keypair
from xunshi.lib.crypto import sm2_generate_keypair

__all__ = ["production_env"]


def production_env(**changes: str) -> dict[str, str]:
    """Every key production refuses to start without, a PATH and a HOME, nothing else of
    this process's environment (no .env is read: XUNSHI_ENV is not test, but BASE_DIR/.env
    of a worktree holds none)."""
    audit_private, audit_public = sm2_generate_keypair()
    office_private, _ = generate_keypair()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "XUNSHI_ENV": "production",
        "XUNSHI_SECRET_KEY": secrets.token_urlsafe(50),
        "XUNSHI_FIELD_KEY": secrets.token_hex(16),
        "XUNSHI_AUDIT_KEY": secrets.token_hex(16),
        "XUNSHI_AUDIT_SM2_PRIVATE_KEY": audit_private,
        "XUNSHI_AUDIT_SM2_PUBLIC_KEY": audit_public,
        "XUNSHI_OFFICE_SM2_PRIVATE_KEY": office_private,
        "XUNSHI_PORTAL_TOKEN": secrets.token_urlsafe(32),
        "XUNSHI_ALLOWED_HOSTS": "xunshi.example.gov.cn",
        "XUNSHI_AUDIT_CHECKPOINT_DIR": "/nonexistent/xunshi-audit",
    }
    env.update(changes)
    return env
