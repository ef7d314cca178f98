"""The test farm's payment data: the PIN and card of the wallets tests provision."""

from __future__ import annotations

from lab.protocols.pan import with_check_digit

PIN = "274653"
CARD = with_check_digit("621700123456789")  # a UnionPay-like test number (Luhn-valid)
