"""Clients of the TOS+ cloud services (the payment sandbox, the store), reached over HTTP
only, as an OEM's tools or a shop's till would: suites and the harness use them; the
services' own code is never imported (rule 1's spirit: a real backend could stand there)."""
