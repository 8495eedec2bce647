"""A Word document turned into PDF by LibreOffice, headless, for the task worker.

LibreOffice refuses to run twice on one user profile, and a profile left by a crashed run can
stall the next one, so each process uses a profile of its own (`<work>/profile-<pid>`) and
converts one document at a time. The document is written to a fresh folder under `work`
(0700, removed afterwards: case documents never stay on disk in the clear). A conversion
longer than `timeout` seconds is killed with its whole process group (`soffice` starts
`soffice.bin` as a child, which a plain kill would leave running), and every way it can go
wrong ends in `ConversionFailed` with a Chinese sentence the job shows to its requester.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

__all__ = ["ConversionFailed", "docx_to_pdf"]

# One conversion at a time in a process: they would share its profile.
_ONE_AT_A_TIME = threading.Lock()


class ConversionFailed(Exception):
    """The document could not be converted; the message says why, in Chinese."""


def _profile(work: Path) -> Path:
    return work / f"profile-{os.getpid()}"


def docx_to_pdf(
    content: bytes, *, work: Path, command: str = "soffice", timeout: float = 120
) -> bytes:
    """The PDF of the .docx bytes, as LibreOffice (`command`) prints it."""
    program = shutil.which(command)
    if program is None:
        raise ConversionFailed(
            f"服务器上没有找到LibreOffice（{command}），无法生成PDF，请联系系统管理员安装。"
        )
    work.mkdir(mode=0o700, parents=True, exist_ok=True)
    with _ONE_AT_A_TIME, tempfile.TemporaryDirectory(dir=work, prefix="convert-") as folder:
        source = Path(folder) / "document.docx"
        profile = _profile(work).resolve()
        source.write_bytes(content)
        argv = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        _run(argv, timeout, profile)
        target = Path(folder) / "document.pdf"
        if not target.is_file() or target.stat().st_size == 0:
            raise ConversionFailed(
                "LibreOffice未能将文书转换为PDF，请稍后重试；如仍不成功，请联系系统管理员。"
            )
        return target.read_bytes()


def _run(argv: list[str], timeout: float, profile: Path) -> None:
    # The program is the configured LibreOffice, found on PATH; the arguments are our own paths.
    with subprocess.Popen(  # noqa: S603
        argv,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    ) as process:
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(process)
            # A profile whose LibreOffice was killed may keep its lock: the next run starts anew.
            shutil.rmtree(profile, ignore_errors=True)
            raise ConversionFailed(
                f"转换为PDF超过{timeout:g}秒仍未完成，已停止。请稍后重试；"
                "如仍不成功，请联系系统管理员。"
            ) from None
        except BaseException:
            _kill_group(process)
            raise
    if process.returncode != 0:
        raise ConversionFailed(
            f"LibreOffice转换出错（退出码{process.returncode}），请稍后重试；"
            "如仍不成功，请联系系统管理员。"
        )


def _kill_group(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
