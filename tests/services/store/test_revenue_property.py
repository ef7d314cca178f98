"""A property test of the revenue ledger through the HTTP API (revenue_walk.py beside it):
a sample of 150 random sequences of purchases and refunds by five accounts of seven apps
from five developers, every step checked against a model. The full 1,000 sequences are a
figure-gathering run: `make bench` (bench/bench_revenue.py)."""

from __future__ import annotations

from tests.services.store.revenue_walk import SEED, walk

SEQUENCES = 150


def test_random_purchases_and_refunds_keep_the_books(store, sandbox, make_apk):
    steps = walk(store, sandbox, make_apk, SEQUENCES)
    assert steps["split"] >= 1, "a sale crossed the line, in two parts"
    assert steps["refund"] > 15 and steps["above"] >= 1, dict(steps)
    print(f"seed {SEED}: {dict(steps)}")
