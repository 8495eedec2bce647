"""New keys for a portal and its office, as .env lines: ``python -m portal.keys``.

Prints the portal's variables and, marked apart, the two secrets that belong to the
internal app only (the office's SM2 private key and the API token in the clear). Whoever
installs the portal copies only the PORTAL_ lines to the portal host. With
``--portal-file var/portal.env`` the portal's lines (and PORTAL_ENV=dev) go to that file,
mode 0600, which the portal reads by default, and only the internal lines are printed: on a
laptop, ``python -m portal.keys --portal-file var/portal.env >> .env``.
"""

from __future__ import annotations

import argparse
import os
import secrets

from envelope import generate_keypair, sm3_hex


def env_lines(*, private_key_var: str, token_var: str) -> tuple[list[str], list[str]]:
    """(the portal's lines, the internal app's lines) for one new pair of deployments."""
    private, public = generate_keypair()
    token = secrets.token_urlsafe(32)
    portal = [
        f"PORTAL_SECRET_KEY={secrets.token_urlsafe(50)}",
        f"PORTAL_OFFICE_PUBLIC_KEY={public}",
        f"PORTAL_API_TOKEN_SM3={sm3_hex(token.encode('utf-8'))}",
        f"PORTAL_RECEIPT_KEY={secrets.token_hex(32)}",
        f"PORTAL_RECEIPT_SALT={secrets.token_hex(16)}",
        f"PORTAL_THROTTLE_KEY={secrets.token_hex(32)}",
    ]
    internal = [f"{private_key_var}={private}", f"{token_var}={token}"]
    return portal, internal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--private-key-var", default="XUNSHI_OFFICE_SM2_PRIVATE_KEY")
    parser.add_argument("--token-var", default="XUNSHI_PORTAL_TOKEN")
    parser.add_argument("--portal-file", help="write the portal's lines (dev) to this file")
    args = parser.parse_args()
    portal, internal = env_lines(private_key_var=args.private_key_var, token_var=args.token_var)
    if args.portal_file:
        descriptor = os.open(args.portal_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write("\n".join(["PORTAL_ENV=dev", *portal]) + "\n")
    else:
        print("\n".join(portal))
        print("# The internal app's side: never copy these to the portal host.")
    print("\n".join(internal))


if __name__ == "__main__":
    main()
