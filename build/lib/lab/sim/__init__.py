"""Virtual TOS+ devices: separate processes reached only through adb, serial and uiautomator2.

Only `lab.cli` may import this package (an import-linter contract in pyproject.toml).
"""
