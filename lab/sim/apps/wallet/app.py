"""The wallet's screens: home (balance, card, Pay / Scan / Transactions), the payment code
(QR and 18 digits), the PIN pad, the scan and confirm screens, the result banner and the
transaction list; in English or Simplified Chinese with the system language."""

from __future__ import annotations

from lab.sim.apps.base import DeviceState
from lab.sim.apps.wallet.model import PACKAGE, money
from lab.sim.apps.wallet.service import WalletService
from lab.sim.ui.screen import Item, Line, Screen
from lab.sim.ui.strings import STRINGS, tr

KEYS = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "cancel", "0", "del")


def _grouped(code: str) -> str:
    """18 digits as a cashier reads them: 4-4-4-4-2."""
    return " ".join(code[i : i + 4] for i in range(0, len(code), 4))


class WalletApp:
    package = PACKAGE

    def __init__(self, service: WalletService, camera: bool) -> None:
        self.service = service
        self.camera = camera

    def screen(self, activity: str, state: DeviceState) -> Screen:
        lang = str(state.settings["language"])
        wallet = self.service
        if wallet.config is None:
            return Screen(
                self.package,
                activity,
                tr("wallet", lang),
                lines=(Line("status", tr("wallet", lang), tr("not_set_up", lang)),),
            )
        if activity == ".PayCode":
            return self._pay_code(activity, lang)
        if activity == ".PinPad":
            return self._pin_pad(activity, lang)
        if activity == ".Result":
            return self._result(activity, lang)
        if activity == ".Scan":
            message = {"offline": "offline", "not_payment": "not_payment", "no_code": "no_code"}
            hint = tr(message.get(wallet.scan_message, "scan_hint"), lang)
            return Screen(
                self.package,
                activity,
                tr("scan", lang),
                items=(Item("cancel", tr("cancel", lang), "back"),),
                lines=(Line("scan_status", tr("scan", lang), hint),),
            )
        if activity == ".Confirm":
            return self._confirm(activity, lang)
        if activity == ".Transactions":
            return self._transactions(activity, lang)
        return self._home(activity, lang)

    def _home(self, activity: str, lang: str) -> Screen:
        wallet = self.service
        items = [Item("pay", tr("pay", lang), "start:com.tos.wallet/.PayCode")]
        if self.camera:
            items.append(Item("scan", tr("scan", lang), "scan"))
        items.append(Item("transactions", tr("transactions", lang), "transactions"))
        balance = money(wallet.balance) if wallet.balance is not None else "…"
        lines = [
            Line("balance", tr("balance", lang), balance),
            Line("card", tr("card", lang), wallet.config.card.display if wallet.config else ""),
        ]
        if wallet.locked:
            lines.append(Line("status", tr("wallet", lang), tr("locked", lang)))
        return Screen(
            self.package,
            ".Wallet",
            tr("wallet", lang),
            items=tuple(items),
            lines=tuple(lines),
            lines_first=True,
        )

    def _pay_code(self, activity: str, lang: str) -> Screen:
        wallet = self.service
        if wallet.locked:
            return Screen(
                self.package,
                activity,
                tr("payment_code", lang),
                lines=(Line("status", tr("wallet", lang), tr("locked", lang)),),
            )
        code = wallet.code()
        return Screen(
            self.package,
            activity,
            tr("payment_code", lang),
            lines=(Line("code", tr("show_cashier", lang), _grouped(code)),),
            qr=code,
            qr_caption=tr("payment_code", lang),
        )

    def _pin_pad(self, activity: str, lang: str) -> Screen:
        wallet = self.service
        pending = wallet.pending
        if pending is None:
            return self._home(".Wallet", lang)
        dots = "●" * wallet.pin_entered + "○" * (6 - wallet.pin_entered)
        to = pending.merchant or pending.description
        lines = [
            Line(
                "pin_amount",
                tr("pay_to", lang, merchant=to) if to else tr("amount", lang),
                money(pending.amount),
            ),
            Line("pin_dots", tr("enter_pin", lang), dots),
        ]
        if wallet.busy:
            lines.append(Line("pin_status", tr("enter_pin", lang), tr(wallet.busy, lang)))
        elif wallet.pin_message.startswith("wrong_pin:"):
            left = wallet.pin_message.split(":", 1)[1]
            said = tr("wrong_pin_one", lang) if left == "1" else tr("wrong_pin", lang, n=left)
            lines.append(Line("pin_status", tr("enter_pin", lang), said))
        labels = {"cancel": tr("cancel", lang), "del": "⌫"}
        items = tuple(Item(f"key_{key}", labels.get(key, key), f"key:{key}") for key in KEYS)
        return Screen(
            self.package,
            activity,
            tr("enter_pin", lang),
            kind="keypad",
            secure=True,
            items=items,
            lines=tuple(lines),
        )

    def _result(self, activity: str, lang: str) -> Screen:
        result = self.service.result
        if result is None:
            return self._home(".Wallet", lang)
        title = tr("paid_ok" if result.ok else "paid_declined", lang)
        lines = [Line("result_amount", tr("amount", lang), money(result.amount))]
        if result.merchant:
            lines.append(Line("result_merchant", tr("merchant", lang), result.merchant))
        if not result.ok:
            key = result.reason if result.reason in STRINGS else "declined_other"
            lines.append(Line("result_reason", tr("reason", lang), tr(key, lang)))
        return Screen(
            self.package,
            activity,
            title,
            items=(Item("done", tr("done", lang), "done"),),
            lines=tuple(lines),
            lines_first=True,
        )

    def _confirm(self, activity: str, lang: str) -> Screen:
        wallet = self.service
        order = wallet.order
        if order is None:
            return self._home(".Wallet", lang)
        lines = [
            Line("confirm_merchant", tr("merchant", lang), order.get("merchant", "")),
            Line("confirm_amount", tr("amount", lang), money(order["amount"])),
        ]
        if wallet.busy:
            lines.append(Line("confirm_status", tr("confirm_pay", lang), tr(wallet.busy, lang)))
        return Screen(
            self.package,
            activity,
            tr("confirm_pay", lang),
            items=(
                Item("confirm", tr("pay", lang), "confirm"),
                Item("cancel", tr("cancel", lang), "back"),
            ),
            lines=tuple(lines),
            lines_first=True,
        )

    def _transactions(self, activity: str, lang: str) -> Screen:
        found = self.service.transactions
        if found is None:
            lines = (Line("loading", tr("transactions", lang), tr("loading", lang)),)
        elif not found:
            lines = (Line("empty", tr("transactions", lang), tr("no_transactions", lang)),)
        else:
            lines = tuple(
                Line(
                    f"txn_{n}",
                    entry.get("memo") or entry["kind"],
                    ("+" if entry["amount"] > 0 else "-") + money(abs(entry["amount"])),
                )
                for n, entry in enumerate(found[:20])
            )
        return Screen(self.package, activity, tr("transactions", lang), lines=lines)

    def act(self, action: str, state: DeviceState) -> str | None:
        wallet = self.service
        if action.startswith("key:"):
            wallet.key(action[4:])
        elif action == "done":
            wallet.result = None
            state.windows.close(PACKAGE)
            return f"start:{PACKAGE}/.Wallet"
        elif action == "scan":
            wallet.order = None
            state.windows.start(PACKAGE, ".Scan")
            wallet.scan()
        elif action == "confirm":
            wallet.pay_order()
        elif action == "transactions":
            wallet.transactions = None
            wallet.load_transactions()
            return f"start:{PACKAGE}/.Transactions"
        elif action == "back":
            return "back"
        return None

    def edit(self, key: str, text: str, state: DeviceState) -> None:
        return None
