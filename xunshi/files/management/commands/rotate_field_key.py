"""manage.py rotate_field_key: seal every sealed field, ID number and file with the new key.

Set the new key in XUNSHI_FIELD_KEY and the old one in XUNSHI_FIELD_KEY_OLD first (see
xunshi/files/rotation_actions.py); run again after an interruption or a failed file.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from xunshi.files.rotation_actions import field_key_rotate
from xunshi.lib.crypto import CryptoError


class Command(BaseCommand):
    help = "以 XUNSHI_FIELD_KEY 重新加密全部加密字段、身份证号码和附件文件（密钥轮换）。"

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = field_key_rotate()
        except CryptoError as e:
            raise CommandError(
                f"有数据无法用当前密钥或 XUNSHI_FIELD_KEY_OLD 解密（{e}），本表未作改动，"
                "请确认旧密钥后重新运行。"
            ) from e
        for table, count in report.tables.items():
            self.stdout.write(f"{table}：重新加密{count}个值。")
        self.stdout.write(
            f"附件文件：重新加密{report.files}个，已是新密钥{report.files_current}个。"
        )
        if report.files_failed:
            names = "、".join(name for name, _ in report.files_failed)
            raise CommandError(
                f"{len(report.files_failed)}个附件文件未能重新加密（{names}），"
                "其余已完成；修复后重新运行本命令即可继续。"
            )
        self.stdout.write(f"密钥轮换完成，当前密钥标识 {report.key_id}。")
