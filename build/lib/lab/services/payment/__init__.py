"""The payment sandbox: merchants, wallets, orders, payment codes, charges, refunds, NFC
authorisations and a double-entry ledger, in integer fen. See docs/PAYMENT.md."""
