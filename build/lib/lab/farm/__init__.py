"""The farm: which devices are alive, who holds them, which are quarantined."""
