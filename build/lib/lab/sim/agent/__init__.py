"""The uiautomator2 agent: HTTP JSON-RPC on tcp:9008 inside the device, after the real
client pushed u2.jar and launched it with app_process."""
