"""The payment sandbox as an ASGI app: `create_app(database_url, admin_key)`."""

from __future__ import annotations

from fastapi import FastAPI

from lab.services import errors, idempotency
from lab.services.box import ServiceBox
from lab.services.db import create_schema, make_engine
from lab.services.payment import routes_admin, routes_merchant, routes_wallet
from lab.services.payment.deps import Sandbox
from lab.services.payment.events import Hub
from lab.services.payment.faults import HeldReplies
from lab.services.payment.principals import LOOKUPS
from lab.services.vault import Vault
from lab.web.body_limit import BodyLimit

DESCRIPTION = """The TOS+ Pay sandbox: orders with a QR code, payment codes (付款码), charges,
refunds, NFC authorisations and a double-entry ledger, in integer fen (2000 = ¥20.00).
Every POST takes an `Idempotency-Key` (Stripe's semantics). Errors are
`{"error": {type, code, param, message}}` with a 4xx."""


def create_app(database_url: str, admin_key: str, secret: bytes) -> FastAPI:
    """`secret`: the service's own (vault.py), kept outside the database."""
    engine = make_engine(database_url)
    create_schema(engine)
    sessions = ServiceBox.sessions(engine, database_url, Vault(secret))
    box = Sandbox(**sessions, admin_key=admin_key, lookups=LOOKUPS, hub=Hub(sessions["db"]))
    idempotency.prune(box.db)
    app = FastAPI(title="TOS+ Pay sandbox", version="1.0", description=DESCRIPTION)
    app.state.box = box
    app.include_router(routes_merchant.router)
    app.include_router(routes_wallet.router)
    app.include_router(routes_admin.router)
    errors.install(app)

    @app.get("/healthz", tags=["lab"], summary="Up and able to reach its database")
    def healthz() -> dict:
        with box.reads() as session:
            session.execute(idempotency.IdempotencyKey.__table__.select().limit(1))
        return {"status": "ok", "service": "payment"}

    app.add_middleware(HeldReplies, box=box)
    app.add_middleware(BodyLimit)  # the outermost: before routing, faults and auth
    return app
