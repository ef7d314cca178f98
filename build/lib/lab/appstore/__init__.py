"""Harness steps for the TOS+ Store: a device's store app joined to an account."""
