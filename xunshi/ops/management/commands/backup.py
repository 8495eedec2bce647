"""`manage.py backup --out DIR [--keys-to FILE]`: one sealed archive (xunshi/ops/README.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from xunshi.ops.backup_actions import backup_make
from xunshi.ops.database import BackupFailed
from xunshi.ops.keyfile import KeyfileRefused, read_passphrase, seal_keys, write_private

# The keys a restored installation needs, by environment variable: what opens encrypted
# columns and files, verifies the audit trail, opens portal submissions, and opens archives.
KEY_SETTINGS = {
    "XUNSHI_SECRET_KEY": "SECRET_KEY",
    "XUNSHI_FIELD_KEY": "FIELD_MASTER_KEY",
    "XUNSHI_AUDIT_KEY": "AUDIT_KEY",
    "XUNSHI_AUDIT_SM2_PRIVATE_KEY": "AUDIT_SM2_PRIVATE_KEY",
    "XUNSHI_AUDIT_SM2_PUBLIC_KEY": "AUDIT_SM2_PUBLIC_KEY",
    "XUNSHI_OFFICE_SM2_PRIVATE_KEY": "XUNSHI_OFFICE_SM2_PRIVATE_KEY",
    "XUNSHI_OFFICE_SM2_PUBLIC_KEY": "XUNSHI_OFFICE_SM2_PUBLIC_KEY",
    "XUNSHI_PORTAL_TOKEN": "XUNSHI_PORTAL_TOKEN",
    "XUNSHI_BACKUP_KEY": "XUNSHI_BACKUP_KEY",
}


def key_values() -> dict[str, str]:
    values = {}
    for variable, name in KEY_SETTINGS.items():
        value = getattr(settings, name, "")
        text = value.hex() if isinstance(value, bytes) else str(value)
        if text:
            values[variable] = text
    return values


class Command(BaseCommand):
    help = (
        "备份数据库、附件和审计检查点，封装为一个用备份密钥（XUNSHI_BACKUP_KEY）加密的文件；"
        "密钥只在给出 --keys-to 时另行导出，用从标准输入读取的口令加密"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="备份文件写入的目录")
        parser.add_argument(
            "--keys-to",
            type=Path,
            help="另行导出密钥到此文件（口令加密，口令从标准输入读取；文件不得已存在）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        keys_to: Path | None = options["keys_to"]
        passphrase = ""
        if keys_to is not None:
            if keys_to.exists():
                raise CommandError(
                    _("密钥文件 %(path)s 已存在：不覆盖已有的文件。") % {"path": keys_to}
                )
            try:
                passphrase = read_passphrase(confirm=True)
                sealed_keys = seal_keys(key_values(), passphrase)
            except KeyfileRefused as refused:
                raise CommandError(str(refused)) from None
        try:
            done = backup_make(out_dir=options["out"], backup_key=settings.XUNSHI_BACKUP_KEY)
        except BackupFailed as failed:
            raise CommandError(str(failed)) from None
        manifest = done.manifest
        self.stdout.write(
            _(
                "备份完成：%(path)s（%(size)s 字节）\n"
                "  数据库 %(tables)s 张表 %(rows)s 行，附件 %(files)s 个，审计日志至第 %(last)s 条"
            )
            % {
                "path": done.path,
                "size": done.size,
                "tables": len(manifest["tables"]),
                "rows": sum(manifest["tables"].values()),
                "files": sum(1 for m in manifest["files"] if m.startswith("files/")),
                "last": manifest["audit_head"]["last_id"],
            }
        )
        if keys_to is not None:
            try:
                write_private(keys_to, sealed_keys)
            except OSError as exc:
                raise CommandError(
                    _("密钥文件 %(path)s 写入失败：%(error)s") % {"path": keys_to, "error": exc}
                ) from None
            self.stdout.write(
                _("密钥已另行导出：%(path)s（口令加密；与备份文件分开保管）") % {"path": keys_to}
            )
