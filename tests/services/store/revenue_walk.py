"""The revenue ledger's property, walked through the HTTP API: random sequences of
purchases and refunds by five accounts of seven apps from five developers (prices from
1 fen to ¥450,000, so the ¥1,000,000 line is crossed, refunded below and crossed again).
After every step, against a model kept by the test:
- each transaction sums to zero, and developer + platform = the gross of each share;
- a sale is split at the developer's net sales so far this year: 15 % below the line,
  30 % above, a sale that crosses it in two parts; fees rounded half up;
- a refund's entries are its sale's entries negated, exactly;
- the wallet paid exactly the price, and got it back on a refund."""

from __future__ import annotations

import random
import time
from collections import Counter

from tests.payment_data import CARD, PIN
from tests.services.store.conftest import PHONE

SEED = 20261122
THRESHOLD = 100_000_000
PRICES = {  # developer -> prices of its apps (fen)
    0: [1, 99_999],
    1: [1_234],
    2: [10],  # 15 % of 10 is 1.5: rounds up to 2
    3: [30_000_000],
    4: [45_000_010],
}


def fee(amount: int, rate: int) -> int:
    return (amount * rate + 50) // 100


def expected_shares(price: int, sold: int) -> list[tuple[int, int]]:
    small = max(0, min(price, THRESHOLD - sold))
    return [(p, r) for p, r in ((small, 15), (price - small, 30)) if p > 0]


def walk(store, sandbox, make_apk, sequences: int, seed: int = SEED) -> Counter:
    """`sequences` random sequences of purchases and refunds, every step checked against
    the model; what they were made of (sales, refunds, splits, sales above the line)."""
    rng = random.Random(seed)
    tag = f"{rng.getrandbits(32):08x}{int(time.time()) % 100000}"
    apps = []  # (package, price, developer index)
    developers = {}
    for index, prices in PRICES.items():
        developers[index] = store.developer(f"Prop {index} {tag}")
        for n, price in enumerate(prices):
            package = f"com.prop{tag}.d{index}a{n}"
            developers[index].create_app(package, f"App {index}.{n}", price=price)
            developers[index].upload(package, make_apk(package, 1))
            apps.append((package, price, index))
    buyers = []
    for n in range(5):
        account = store.account(f"Buyer {n} {tag}")
        device_id = f"prop-{tag}-{n}"
        client = store.device(device_id, account, "phone", PHONE, 33).client()
        wallet = sandbox.wallet(device_id, PIN, CARD, balance=100_000_000)
        buyers.append({"client": client, "wallet": wallet, "balance": 100_000_000, "owned": {}})
    sold = Counter()  # developer -> net sales this year, by the model
    steps = Counter()

    def check_sale(purchase_id: str, price: int, developer: int) -> list[dict]:
        entries = store.purchase(purchase_id)["revenue"]
        assert sum(e["amount"] for e in entries) == 0
        dev = [
            (e["gross"], e["rate"], e["amount"])
            for e in entries
            if e["account"].startswith("developer:")
        ]
        platform = [
            (e["gross"], e["rate"], e["amount"]) for e in entries if e["account"] == "platform"
        ]
        want = expected_shares(price, sold[developer])
        assert [(g, r) for g, r, _ in dev] == want, (purchase_id, price, sold[developer])
        assert [a for _, _, a in platform] == [fee(g, r) for g, r in want]
        assert [d[2] + p[2] for d, p in zip(dev, platform, strict=True)] == [g for g, _ in want]
        return entries

    for sequence in range(sequences):
        for _ in range(rng.randint(1, 4)):
            buyer = rng.choice(buyers)
            package, price, developer = rng.choice(apps)
            if package in buyer["owned"]:
                purchase_id, sale = buyer["owned"].pop(package)
                buyer["client"].refund(purchase_id)
                entries = store.purchase(purchase_id)["revenue"]
                refund = Counter(
                    (e["account"], e["amount"], e["rate"], e["gross"])
                    for e in entries
                    if e["kind"] == "refund"
                )
                assert refund == Counter(
                    (e["account"], -e["amount"], e["rate"], e["gross"]) for e in sale
                )
                sold[developer] -= price
                buyer["balance"] += price
                steps["refund"] += 1
            else:
                if buyer["balance"] < price:
                    sandbox.top_up(buyer["wallet"].id, 100_000_000)
                    buyer["balance"] += 100_000_000
                purchase = buyer["client"].buy(package)
                charge = buyer["wallet"].pay_order(purchase["order"], PIN)
                assert charge["status"] == "succeeded" and charge["amount"] == price
                assert buyer["client"].complete(purchase["id"])["status"] == "paid"
                sale = check_sale(purchase["id"], price, developer)
                parts = expected_shares(price, sold[developer])
                steps["split"] += len(parts) == 2
                steps["above"] += parts[-1][1] == 30
                sold[developer] += price
                buyer["balance"] -= price
                buyer["owned"][package] = (purchase["id"], sale)
                steps["sale"] += 1
            wallet_account = sandbox.account(buyer["wallet"].account, limit=1)
            assert wallet_account["balance"] == buyer["balance"]
        if sequence % 50 == 49:
            assert store.audit()["balanced"], sequence
    audit = store.audit()
    assert audit["balanced"] and audit["platform"] + audit["developers"] == audit["gross"]
    month = time.strftime("%Y-%m", time.gmtime())
    for index, developer in developers.items():
        assert developer.statement(month)["net_sales_year_to_date"] == sold[index]
    return steps
