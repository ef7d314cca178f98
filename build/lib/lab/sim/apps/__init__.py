"""The system apps of a virtual TOS+ device: each turns device state into a Screen and
turns clicks into state changes."""
