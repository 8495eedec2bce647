"""`manage.py restore ARCHIVE [--force]`: an archive of `backup` back (xunshi/ops/README.md)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from xunshi.ops.database import BackupFailed
from xunshi.ops.restore_actions import backup_restore, restore_record


class Command(BaseCommand):
    help = (
        "从 backup 做的备份文件恢复数据库、附件和审计检查点：先核验整个文件，再写入；"
        "目标不空时拒绝（除非 --force）；恢复后检查迁移并核验审计链"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path, help="备份文件（.xsbk）")
        parser.add_argument(
            "--force", action="store_true", help="目标数据库或附件目录不空时仍然覆盖"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            done = backup_restore(
                archive=options["archive"],
                backup_key=settings.XUNSHI_BACKUP_KEY,
                force=options["force"],
            )
        except BackupFailed as failed:
            raise CommandError(str(failed)) from None
        manifest = done.manifest
        self.stdout.write(
            _(
                "已恢复：%(created)s 的备份（版本 %(version)s）\n"
                "  数据库 %(tables)s 张表 %(rows)s 行，行数与清单一致\n"
                "  附件 %(files)s 个，审计检查点 %(checkpoints)s 行"
            )
            % {
                "created": manifest["created"],
                "version": manifest["app_version"],
                "tables": done.tables,
                "rows": done.rows,
                "files": done.files,
                "checkpoints": done.checkpoints,
            }
        )
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _ in pending[:5])
            self.stdout.write(
                _(
                    "迁移检查：备份来自较旧的版本，尚有 %(n)s 个迁移未应用（%(names)s）："
                    "请运行 manage.py migrate"
                )
                % {"n": len(pending), "names": names}
            )
        else:
            self.stdout.write(_("迁移检查：数据库结构与本版本一致"))
            # With a schema still to migrate the trail's own table may not match the code yet.
            restore_record(archive=options["archive"], manifest=manifest)
        try:
            call_command("verify_audit", stdout=self.stdout, stderr=self.stderr)
        except CommandError as broken:
            raise CommandError(
                _("恢复已完成，但审计链核验未通过：%(error)s") % {"error": broken}
            ) from None
