"""The password hasher: Django's PBKDF2-SHA256 at Django's iterations, computed faster.

A sign-in hashes the password once with 1,000,000 rounds of PBKDF2 (Django's default, kept:
issue 13). ``hashlib`` computes it through the system's OpenSSL 3.0, whose PBKDF2 spends about
twice the time of the OpenSSL that the ``cryptography`` wheel carries, for the same bytes; on
this 2-core machine that was 0.23-0.40 s of a sign-in's 0.24-0.40 s. This hasher keeps
Django's algorithm name (``pbkdf2_sha256``), iterations and stored format, so every hash made
before verifies, and a hash made here verifies with Django's own hasher.
"""

from __future__ import annotations

import base64

from django.contrib.auth.hashers import PBKDF2PasswordHasher as DjangoPBKDF2
from django.utils.encoding import force_bytes

from xunshi.lib.crypto import pbkdf2_sha256

__all__ = ["PBKDF2PasswordHasher"]


class PBKDF2PasswordHasher(DjangoPBKDF2):
    """Django's ``PBKDF2PasswordHasher`` (the same name, iterations and format), derived by
    :func:`xunshi.lib.crypto.pbkdf2_sha256`."""

    def encode(self, password: str, salt: str, iterations: int | None = None) -> str:
        # Django's own checks (no password, a salt with '$'); django-stubs omit the method.
        self._check_encode_args(password, salt)  # type: ignore[attr-defined]
        iterations = iterations or self.iterations
        derived = pbkdf2_sha256(force_bytes(password), force_bytes(salt), iterations)
        hashed = base64.b64encode(derived).decode("ascii").strip()
        return f"{self.algorithm}${iterations}${salt}${hashed}"
