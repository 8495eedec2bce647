"""What the sign-in protections cost: the login page's proof of work and the password history.

    .venv/bin/python -m bench.login_throttle [nonces]       (default 20)

The proof of work is run by node on the page's own script (static/js/login_pow.js, the
SHA-256 a browser runs) for `nonces` random nonces at the configured number of zero bits; the
median, mean and longest time to solve are printed. The password history check is the
validator's work on a password change: five `PasswordHistory` hashes compared with a password
that is none of them (the worst case), five times; the fastest and slowest are printed, with
one hash of the sign-in hasher for comparison. The load average is printed with them: above
2 means other work shared the machine's cores and the times are pessimistic.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The page's script made a module: its SHA-256 and zero-bit test, without the page.
NODE = r"""
const fs = require("fs");
let src = fs.readFileSync(process.argv[1], "utf8")
  .replace("var form = document", "return {sha256: sha256, lz: leadingZeros}; var form = document");
src = src.slice(src.indexOf("(function")).trim().replace(/;$/, "");
const pow = new Function("return " + src)();
const crypto = require("crypto");
const bits = parseInt(process.argv[2], 10), n = parseInt(process.argv[3], 10);
const out = [];
for (let i = 0; i < n; i++) {
  const nonce = crypto.randomBytes(16).toString("hex");
  const t = process.hrtime.bigint();
  let c = 0;
  while (!pow.lz(pow.sha256(nonce + ":" + c), bits)) c++;
  out.push(Number(process.hrtime.bigint() - t) / 1e6);
}
console.log(JSON.stringify(out));
"""


def proof_of_work(bits: int, nonces: int) -> None:
    node = shutil.which("node")
    if node is None:
        print("proof of work: node not found, skipped")
        return
    script = str(ROOT / "static" / "js" / "login_pow.js")
    result = subprocess.run(  # noqa: S603 - node on our own script
        [node, "-e", NODE, script, str(bits), str(nonces)],
        capture_output=True,
        text=True,
        check=True,
    )
    times = [float(t) for t in result.stdout.strip().strip("[]").split(",")]
    print(
        f"proof of work, {bits} bits, {nonces} nonces: median {statistics.median(times):.0f} ms, "
        f"mean {statistics.mean(times):.0f} ms, longest {max(times):.0f} ms"
    )


def password_history() -> None:
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    from xunshi.accounts.passwords import HISTORY_LENGTH, history_hash, in_history

    rows = [history_hash(f"Rq{n}#Vk{n}!Lm{n}x") for n in range(HISTORY_LENGTH)]
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        assert not any(in_history("Other#Pass99x", row) for row in rows)
        runs.append(time.perf_counter() - start)
    print(
        f"password history, {HISTORY_LENGTH} hashes checked: fastest {min(runs):.3f} s, "
        f"slowest {max(runs):.3f} s"
    )
    hasher = PBKDF2PasswordHasher()
    encoded = hasher.encode("Rq1#Vk1!Lm1x", hasher.salt())
    start = time.perf_counter()
    hasher.verify("Other#Pass99x", encoded)
    print(f"one sign-in hash ({hasher.iterations} iterations): {time.perf_counter() - start:.3f} s")


def main() -> None:
    os.environ.setdefault("XUNSHI_ENV", "test")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django
    from django.conf import settings

    django.setup()
    nonces = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.1f}")
    proof_of_work(settings.LOGIN_CHALLENGE_BITS, nonces)
    password_history()
    print(f"load average (1 min) at end: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
