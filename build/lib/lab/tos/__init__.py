"""The TOS+ compatibility kit, installed with the lab: the suites that certify a TOS+
device (`lab run tos`, `lab certify run`), the page objects they drive the system's apps
with (`lab.tos.screens`), and their data (plans, the compatibility definition, goldens,
utterances, test payment data). A project of its own imports what it needs from here
rather than copying it:

    from lab.tos.screens import payment as screens   # the wallet's screens
    from lab.tos import data                         # the kit's test data

On the command line and in plans, `tos` names the kit's suites wherever the lab is
installed: `lab run tos`, `lab run tos/smoke`, `tos/payment/test_pin.py::test_x`."""

from __future__ import annotations

from pathlib import Path

KIT = Path(__file__).resolve().parent
