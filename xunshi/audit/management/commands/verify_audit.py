from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.audit.anchor_actions import CheckpointRefused, checkpoint_write
from xunshi.audit.chain import ChainBreak, verify_chain


def break_message(brk: ChainBreak, count: int) -> str:
    if brk.seq is None:
        return f"审计链核验未通过：{brk.reason}（已核验 {count} 条）"
    return f"审计链在第 {brk.seq} 条断裂：{brk.reason}（已核验 {count} 条）"


class Command(BaseCommand):
    help = (
        "重新计算审计日志哈希链，核对链尾校验码和数据库之外的签名检查点；"
        "发现记录被改动、删除、重排或链尾被改写时以非零状态退出，通过时写一个新的检查点"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--first-checkpoint",
            action="store_true",
            help="首次启用检查点（升级之后）：检查点文件不存在不算断裂，核验通过后写下第一个检查点",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count, brk = verify_chain(first_checkpoint=options["first_checkpoint"])
        if brk is not None:
            raise CommandError(break_message(brk, count))
        if count:
            try:
                checkpoint_write()
            except CheckpointRefused as refused:
                raise CommandError(f"审计链完整（共 {count} 条），但{refused}") from None
            except OSError as exc:
                raise CommandError(
                    f"审计链完整（共 {count} 条），但检查点写入失败：{exc}"
                ) from None
        self.stdout.write(f"审计链完整：共 {count} 条记录")
