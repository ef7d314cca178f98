"""The TOS+ voice assistant as a test meets it: turns, utterance sets, metrics."""
