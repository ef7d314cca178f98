"""What sits beside a device on a bench: an NFC reader (nfc.py, driven by nfcpy), the
picture in front of its camera (camera.py). The same code drives a real part on a real
bench and a virtual one beside a virtual device."""
