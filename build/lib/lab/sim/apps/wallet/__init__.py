"""TOS+ Pay, the wallet app of the virtual devices: its screens (app.py), what it keeps
and does in the background (service.py), its link to the payment sandbox (sandbox.py) and
the card it emulates over NFC (card.py)."""
