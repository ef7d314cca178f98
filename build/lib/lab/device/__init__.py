"""The harness's handle on a device under test (adb, console, UI)."""
