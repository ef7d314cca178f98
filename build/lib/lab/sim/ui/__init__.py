"""The view tree of a virtual device's screen, its layout per device class and its renderer."""
