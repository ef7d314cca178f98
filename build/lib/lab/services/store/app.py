"""The TOS+ Store as an ASGI app: `create_app(database_url, admin_key, blobs, payment_url,
payment_admin_key_file)`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI

from lab.services import errors, idempotency
from lab.services.box import ServiceBox
from lab.services.db import create_schema, make_engine
from lab.services.store import routes_admin, routes_developer, routes_device, uploads
from lab.services.store.payments import PaymentLink
from lab.services.store.principals import LOOKUPS
from lab.services.vault import Vault
from lab.web.body_limit import BodyLimit

DESCRIPTION = """The TOS+ Store: developers upload signed APKs; devices browse the apps
that fit them, buy paid ones from their wallet (through the payment sandbox), download
and install; sales split 85/15 up to ¥1,000,000 a year per developer, 70/30 above, in a
double-entry revenue ledger with monthly statements. Amounts in integer fen. Every POST
takes an `Idempotency-Key`. Errors are `{"error": {type, code, param, message}}`."""


@dataclass
class Store(ServiceBox):
    blobs: Path = field(default_factory=Path)
    payments: PaymentLink | None = None
    # bytes/s of APK downloads, by device id ("*": every device); a lab fault
    download_rates: dict[str, int] = field(default_factory=dict)


def create_app(
    database_url: str,
    admin_key: str,
    secret: bytes,
    blobs: Path,
    payment_url: str | None = None,
    payment_admin_key_file: Path | None = None,
) -> FastAPI:
    """`secret`: the service's own (vault.py), kept outside the database."""
    engine = make_engine(database_url)
    create_schema(engine)
    sessions = ServiceBox.sessions(engine, database_url, Vault(secret))
    payments = PaymentLink(payment_url, payment_admin_key_file, sessions["db"])
    box = Store(**sessions, admin_key=admin_key, lookups=LOOKUPS, blobs=blobs, payments=payments)
    idempotency.prune(box.db)
    uploads.prune(box.reads, blobs)
    app = FastAPI(title="TOS+ Store", version="1.0", description=DESCRIPTION)
    app.state.box = box
    for module in (routes_device, routes_developer, routes_admin):
        app.include_router(module.router)
    errors.install(app)

    @app.get("/healthz", tags=["lab"], summary="Up and able to reach its database")
    def healthz() -> dict:
        with box.reads() as session:
            session.execute(idempotency.IdempotencyKey.__table__.select().limit(1))
        return {"status": "ok", "service": "store"}

    # the outermost: before routing and auth; an APK upload streams to disk up to its cap
    app.add_middleware(BodyLimit, larger={"/v1/developer/apps/*/versions": uploads.MAX_APK})
    return app
