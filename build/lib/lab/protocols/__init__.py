"""Formats both ends of a link must agree on (a wallet and the sandbox, a card and its
issuer, a report and the card numbers it must not show): pure functions, no I/O. The
simulated devices, the services and the harness each use them from their own side."""
