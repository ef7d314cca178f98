"""Payment scenarios' building blocks for suites: a device's wallet provisioned in the
sandbox and pointed at it over adb (wallet.py); the shop's side of an NFC tap, an EMV
terminal over the reader beside the device (terminal.py)."""
