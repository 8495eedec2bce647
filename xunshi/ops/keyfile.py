"""The exported keys of a backup: the app's keys as environment lines, sealed with a passphrase.

A data archive is sealed with the backup key and never holds a key. What opens the data
after the server is lost (the field key of encrypted columns and files, the audit key and SM2
pair the trail is verified with, the backup key itself) is exported apart, with
``manage.py backup --keys-to FILE``, sealed with a key derived from a passphrase (PBKDF2 with
HMAC-SM3, :func:`xunshi.lib.crypto.passphrase_key`) rather than with the backup key: whoever
restores has nothing of the lost machine, and a passphrase kept on paper in the safe (or split
between two people) is the one secret that survives it. The same file opened with the backup
key would need the backup key to get the backup key.

Layout: ``MAGIC ‖ salt (16) ‖ iterations (4, big-endian) ‖ seal_bytes(env lines)`` with the
header as additional data. Opening needs no Django and no settings (a new host has neither)::

    python -m xunshi.ops.keyfile keys.xskeys --out /etc/xunshi/env   # passphrase on stdin
"""

from __future__ import annotations

import argparse
import getpass
import os
import secrets
import sys
from pathlib import Path

from xunshi.lib.crypto import CryptoError, open_sealed_bytes, passphrase_key, seal_bytes

__all__ = ["MIN_PASSPHRASE", "KeyfileRefused", "open_keys", "read_passphrase", "seal_keys"]

MAGIC = b"XUNSHI-KEYS/1\n"
ITERATIONS = 600_000
MIN_PASSPHRASE = 12
_SALT = 16


class KeyfileRefused(Exception):
    """The key file or the passphrase is refused; the message says why, in Chinese."""


def _render(values: dict[str, str]) -> bytes:
    for name, value in values.items():
        if not name.isidentifier() or "\n" in value or "\r" in value:
            raise ValueError(f"not an environment line: {name}")
    return "".join(f"{name}={value}\n" for name, value in sorted(values.items())).encode()


def seal_keys(values: dict[str, str], passphrase: str) -> bytes:
    """The key file's bytes for these environment values, sealed with the passphrase."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyfileRefused(f"口令太短：至少 {MIN_PASSPHRASE} 个字符。")
    salt = secrets.token_bytes(_SALT)
    header = MAGIC + salt + ITERATIONS.to_bytes(4, "big")
    key = passphrase_key(passphrase, salt, ITERATIONS)
    return header + seal_bytes(key, _render(values), aad=header)


def open_keys(blob: bytes, passphrase: str) -> dict[str, str]:
    """The environment values in a key file, or KeyfileRefused (wrong passphrase, damage)."""
    size = len(MAGIC) + _SALT + 4
    if len(blob) <= size or not blob.startswith(MAGIC):
        raise KeyfileRefused("这不是巡视平台导出的密钥文件（文件头不符），或文件已损坏。")
    header = blob[:size]
    iterations = int.from_bytes(header[-4:], "big")
    try:
        key = passphrase_key(passphrase, header[len(MAGIC) : len(MAGIC) + _SALT], iterations)
        text = open_sealed_bytes(key, blob[size:], aad=header).decode()
    except (CryptoError, ValueError):
        raise KeyfileRefused("口令不对，或密钥文件已损坏或被篡改。") from None
    values = {}
    for line in text.splitlines():
        name, _, value = line.partition("=")
        values[name] = value
    return values


def read_passphrase(*, confirm: bool) -> str:
    """The passphrase: asked twice at a terminal, else the first line of standard input."""
    if sys.stdin.isatty():
        first = getpass.getpass("密钥文件口令：")
        if confirm and getpass.getpass("再输入一次：") != first:
            raise KeyfileRefused("两次输入的口令不一致。")
        return first
    return sys.stdin.readline().rstrip("\r\n")


def write_private(path: Path, data: bytes) -> None:
    """Write a file readable by its owner only (0600), refusing to replace one."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m xunshi.ops.keyfile",
        description="打开 manage.py backup --keys-to 导出的密钥文件，写成环境变量文件（0600）",
    )
    parser.add_argument("keyfile", type=Path)
    parser.add_argument("--out", type=Path, required=True, help="写入的环境变量文件（不得已存在）")
    args = parser.parse_args(argv)
    try:
        values = open_keys(args.keyfile.read_bytes(), read_passphrase(confirm=False))
        write_private(args.out, _render(values))
    except KeyfileRefused as refused:
        print(refused, file=sys.stderr)
        return 1
    except FileExistsError:
        print(f"{args.out} 已存在：不覆盖已有的文件。", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"无法读写文件：{exc}", file=sys.stderr)
        return 1
    print(f"已写入 {len(values)} 个密钥到 {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
