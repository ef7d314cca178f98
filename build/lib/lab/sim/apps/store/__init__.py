"""The TOS+ Store app on a virtual device: browse, search, buy (paid in the wallet), and
download, install, update and uninstall through the device's own package manager."""
