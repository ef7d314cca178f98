"""The device side of the ADB protocol: transport, streams, auth and services."""
