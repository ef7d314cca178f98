"""A phone as a TV's game pad, as a test drives it: pairing by the TV's QR code seen
through the phone's camera, presses on the phone, and the TV's board read back."""
