"""Entry point of one virtual device process: `python -m lab.sim.process DIR/ID.spec`.

The device keeps its files under DIR/ID/ and announces itself in DIR/ID.json."""

from __future__ import annotations

import logging
import signal
import sys
from pathlib import Path

from lab.sim.device import VirtualDevice
from lab.sim.spec import DeviceSpec


def main(argv: list[str]) -> int:
    spec_file = Path(argv[0])
    spec = DeviceSpec.from_json(spec_file.read_text())
    folder = spec_file.parent
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format=f"%(asctime)s {spec.id} %(name)s %(levelname)s %(message)s",
    )
    device = VirtualDevice(spec, folder / spec.id, folder / f"{spec.id}.json")
    signal.signal(signal.SIGTERM, lambda *_: device.stopped.set())
    signal.signal(signal.SIGINT, lambda *_: device.stopped.set())
    device.start()
    logging.getLogger("device").info(
        "%s up on %s:%d, console %s",
        spec.id,
        spec.host,
        spec.port,
        device.console.path if device.console else "-",
    )
    device.stopped.wait()
    device.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
