"""Speech for voice tests: espeak-ng utterances at 16 kHz, noise mixed at the SNR asked
for, transcription against known phrases and word error rates."""

from __future__ import annotations

import numpy as np
import pytest

from lab.voice.noise import KINDS, mix
from lab.voice.speech import RATE, Voice, read_wav, say, silence, wav_bytes
from lab.voice.transcribe import transcribe, word_error_rate

# as a device writes its answers; recognition hears them as words ("o'clock" -> "o clock")
PHRASES = ["Opening settings", "Brightness set to fifty percent", "It is three o'clock", "Paused"]


def power(samples: np.ndarray) -> float:
    return float(np.mean(samples.astype(float) ** 2))


@pytest.mark.parametrize(
    "voice", [Voice("en-us", 160), Voice("en-gb", 120), Voice("en-us+f3", 200, 70)]
)
def test_an_utterance_is_16_khz_speech_of_plausible_length(voice):
    spoken = say("open the store", voice)
    assert spoken.dtype == np.int16
    seconds = len(spoken) / RATE
    assert 0.5 < seconds < 3.0
    assert np.abs(spoken).max() > 3000, "it is not silence"
    assert np.array_equal(read_wav(wav_bytes(spoken)), spoken)


def test_slower_speech_is_longer():
    assert len(say("what time is it", Voice(speed=100))) > 1.4 * len(
        say("what time is it", Voice(speed=200))
    )


@pytest.mark.parametrize("kind", sorted(KINDS))
@pytest.mark.parametrize("snr", [20.0, 10.0, 0.0])
def test_noise_is_mixed_at_the_snr_asked_for(kind, snr):
    speech = np.concatenate([silence(0.3), say("set brightness to fifty"), silence(0.3)])
    noisy = mix(speech, kind, snr, seed=3)
    noise = noisy.astype(float) - speech.astype(float)
    voiced = np.abs(speech) > 200
    measured = 10 * np.log10(power(speech[voiced]) / power(noise))
    assert measured == pytest.approx(snr, abs=0.5)
    assert np.array_equal(mix(speech, kind, snr, seed=3), noisy), "seeded: the same every run"


def test_known_phrases_are_transcribed_and_scored():
    for phrase in PHRASES:
        spoken = np.concatenate([silence(0.3), say(phrase), silence(0.3)])
        heard = transcribe(spoken, PHRASES)
        assert word_error_rate(phrase, heard) == 0.0, (phrase, heard)
    # another answer is heard as that answer: the score says so
    heard = transcribe(say("Paused"), PHRASES)
    assert word_error_rate("Opening settings", heard) == 1.0


def test_word_error_rates():
    assert word_error_rate("Brightness set to 50%", "brightness set to 50") == 0.0
    assert word_error_rate("opening settings", "opening the settings") == 0.5
    assert word_error_rate("opening settings", "") == 1.0
    assert word_error_rate("", "") == 0.0
