"""`python -m lab.services.serve NAME ...`: one service in a process of its own, on
uvicorn (started by `lab services up`; see supervisor.py)."""

from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

import uvicorn

from lab.services.vault import secret_file

APPS = {"payment": "lab.services.payment.app", "store": "lab.services.store.app"}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="lab.services.serve")
    parser.add_argument("name", choices=sorted(APPS))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--admin-key-file", type=Path, required=True)
    # the service's own secret (lab/services/vault.py): made 0600 here when missing
    parser.add_argument("--secret-file", type=Path)
    # the store's: where APKs are kept, and the payment sandbox it sells through
    parser.add_argument("--blobs", type=Path)
    parser.add_argument("--payment-url")
    parser.add_argument("--payment-admin-key-file", type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    module = __import__(APPS[args.name], fromlist=["create_app"])
    admin_key = args.admin_key_file.read_text().strip()
    secret_path = args.secret_file or args.admin_key_file.with_suffix(".secret")
    secret = secret_file(secret_path)
    extra = {}
    if args.name == "store":
        extra = {
            "blobs": args.blobs or args.admin_key_file.parent / "store-apks",
            "payment_url": args.payment_url,
            "payment_admin_key_file": args.payment_admin_key_file,
        }
    app = module.create_app(args.database, admin_key, secret, **extra)
    # the access log names paths and statuses only: bodies (PINs, codes) are never logged
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="info",
        timeout_graceful_shutdown=5,
        backlog=1024,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
