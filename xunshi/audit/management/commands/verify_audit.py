from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xunshi.accounts.actors import SYSTEM
from xunshi.audit.models import ChainVerification
from xunshi.audit.verify_actions import verification_request, verification_run


def break_message(verification: ChainVerification) -> str:
    count = verification.through_id
    if verification.break_seq is None:
        return f"审计链核验未通过：{verification.break_reason}（已核验 {count} 条）"
    return (
        f"审计链在第 {verification.break_seq} 条断裂：{verification.break_reason}"
        f"（已核验 {count} 条）"
    )


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
        parser.add_argument(
            "--incremental",
            action="store_true",
            help="只重新计算上次核验通过之后的记录（之前的记录只核对上次核验到的那一条）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        verification = verification_request(
            actor=SYSTEM, full=not options["incremental"], join=False
        )
        verification = verification_run(
            verification=verification, first_checkpoint=options["first_checkpoint"]
        )
        if verification.status != "done":
            raise CommandError(verification.break_reason)
        if not verification.passed:
            raise CommandError(break_message(verification))
        count = verification.through_id
        if verification.checkpoint_refused:
            raise CommandError(f"审计链完整（共 {count} 条），但{verification.checkpoint_refused}")
        if verification.start_id:
            self.stdout.write(
                f"审计链完整：共 {count} 条记录（重新计算了第 {verification.start_id} 条之后的 "
                f"{verification.checked} 条）"
            )
        else:
            self.stdout.write(f"审计链完整：共 {count} 条记录")
