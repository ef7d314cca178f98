"""Speech for voice tests: utterances from text (espeak-ng), noise at a given SNR, the
device's spoken answer transcribed (pocketsphinx) and scored (jiwer's word error rate)."""
