"""The audio rig beside a real device: a sound card (PortAudio through sounddevice) whose
speaker faces the device's microphone and whose microphone faces its speaker, named per
device in the inventory (`audio: {output: ..., input: ...}`). It plays and records on one
clock (sounddevice's playrec), so an exchange is timed as over adb. A sound card plays in
real time only: `stream` ignores a faster pace and says how long it took."""

from __future__ import annotations

import time

import numpy as np

from lab.device.dut import Dut
from lab.errors import LabError
from lab.inventory.schema import SoundCard
from lab.rig.exchange import RATE, Audio, AudioUnsupported, Exchange
from lab.threads import background

SLACK = 5.0  # seconds beyond the audio's own length before a stuck card is given up on


class SoundCardRig(Audio):
    def __init__(self, dut: Dut, card: SoundCard) -> None:
        self.dut = dut
        self._device = (card.input, card.output)
        try:
            import sounddevice  # PortAudio is loaded on import: a host without it says so
        except OSError as exc:
            raise AudioUnsupported(
                f"{dut.id}: its sound card cannot be opened: {exc}",
                hint="install PortAudio (Debian: libportaudio2; `make` does it as root)",
            ) from None
        self._sd = sounddevice
        for kind, check, name in (
            ("output", sounddevice.check_output_settings, card.output),
            ("input", sounddevice.check_input_settings, card.input),
        ):
            try:
                check(device=name, samplerate=RATE, channels=1, dtype="int16")
            except (ValueError, sounddevice.PortAudioError) as exc:
                found = [d["name"] for d in sounddevice.query_devices()]
                raise AudioUnsupported(
                    f"{dut.id}: sound card {kind} {name!r}: {exc}",
                    hint=f"this host has {found or 'no sound devices'}; fix `audio:` in the "
                    "inventory",
                ) from None

    def close(self) -> None:
        self._sd.stop()

    def exchange(
        self,
        utterance: np.ndarray,
        listen: float,
        marks: dict[str, float] | None = None,
        answered_after: float | None = None,
    ) -> Exchange:
        sent = np.concatenate([utterance, np.zeros(int(listen * RATE), np.int16)])
        heard = self._run(
            lambda: self._sd.playrec(sent, RATE, channels=1, dtype="int16", device=self._device),
            len(sent) / RATE,
        )
        return Exchange(sent, heard[:, 0].copy(), {"utterance_end": len(utterance) / RATE,
                                                   **(marks or {})})  # fmt: skip

    def stream(self, samples: np.ndarray, pace: float = 1.0) -> float:
        started = time.monotonic()
        self._run(lambda: self._sd.play(samples, RATE, device=self._device[1]), len(samples) / RATE)
        return time.monotonic() - started

    def _run(self, start, seconds: float) -> np.ndarray:
        """Start the card and wait for it, bounded: a card that stops answering is stopped
        and reported, never waited on forever."""
        result: dict = {}

        def work() -> None:
            try:
                result["data"] = start()
                self._sd.wait()
            except Exception as exc:  # reported below, with the device named
                result["error"] = exc

        worker = background(work, name="soundcard")
        worker.start()
        worker.join(seconds + SLACK)
        if worker.is_alive():
            self._sd.stop()
            raise LabError(f"{self.dut.id}: the sound card did not finish {seconds:.1f} s of "
                           f"audio within {seconds + SLACK:.1f} s")  # fmt: skip
        if "error" in result:
            raise LabError(f"{self.dut.id}: the sound card failed: {result['error']}")
        return result.get("data", np.zeros((0, 1), np.int16))
