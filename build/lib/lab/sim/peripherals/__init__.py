"""Virtual parts of the bench beside a device: a PN532 NFC reader on a pty (pn532.py),
speaking to the device's NFC controller through the RF field (air.py); started by
`lab sim up` (supervisor.py) as processes of their own (process.py)."""
