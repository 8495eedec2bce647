"""Sealing of ID numbers: SM4-GCM ciphertext, an HMAC-SM3 blind index, a masked copy."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from xunshi.lib.crypto import derive_key, hmac_sm3_hex, open_sealed, seal
from xunshi.lib.ids import mask_id_number

__all__ = ["SealedId", "id_number_index", "reveal_id_number", "seal_id_number"]

_AAD = b"registry.cadre.id_number"


def _keys(master: bytes | None = None) -> tuple[bytes, bytes]:
    master = master or settings.FIELD_MASTER_KEY
    return derive_key(master, "id-number-seal"), derive_key(master, "id-number-index")


@dataclass(frozen=True)
class SealedId:
    sealed: str
    index: str
    masked: str


def id_number_index(id18: str) -> str:
    return hmac_sm3_hex(_keys()[1], id18.encode())


def seal_id_number(id18: str) -> SealedId:
    enc, _ = _keys()
    return SealedId(seal(enc, id18.encode(), aad=_AAD), id_number_index(id18), mask_id_number(id18))


def reveal_id_number(sealed: str, *, master: bytes | None = None) -> str:
    """The ID number; `master` is another field key than the current one (a key rotation)."""
    return open_sealed(_keys(master)[0], sealed, aad=_AAD).decode()
