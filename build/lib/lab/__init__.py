"""TOS+ Device Lab: a hardware-in-the-loop test harness for TOS+ devices."""

__version__ = "0.1.0"
