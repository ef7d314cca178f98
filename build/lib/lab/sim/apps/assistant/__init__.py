"""The TOS+ voice assistant on a virtual device: a wake phrase, a command recognised on the
device with pocketsphinx, an action, an answer on screen and through the speaker."""
