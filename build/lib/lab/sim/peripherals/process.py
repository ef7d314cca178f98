"""Entry point of one virtual reader: `python -m lab.sim.peripherals.process SPEC.json`.
It opens a pty (the UART a host opens like /dev/ttyUSB0), announces it in its record and
runs the PN532 firmware on what arrives, facing the device named in the spec."""

from __future__ import annotations

import json
import logging
import os
import select
import signal
import sys
import termios
import threading
import tty
from pathlib import Path

from lab.runtime import process_identity
from lab.sim.peripherals.air import Air
from lab.sim.peripherals.pn532 import Pn532


def _pty() -> tuple[int, int, str]:
    master, slave = os.openpty()
    tty.setraw(slave)
    attrs = termios.tcgetattr(slave)
    attrs[3] &= ~termios.ECHO
    termios.tcsetattr(slave, termios.TCSANOW, attrs)
    # the slave stays open here: the master never sees EIO when a host closes and reopens
    return master, slave, os.ttyname(slave)


def main(argv: list[str]) -> int:
    spec = json.loads(Path(argv[0]).read_text())
    logging.basicConfig(
        level=logging.INFO,
        stream=sys.stderr,
        format=f"%(asctime)s {spec['id']} %(name)s %(levelname)s %(message)s",
    )
    master, _slave, path = _pty()
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    signal.signal(signal.SIGINT, lambda *_: stopped.set())
    chip = Pn532(Air(Path(spec["field"])), lambda data: os.write(master, data))
    record = {
        "id": spec["id"],
        "kind": spec["kind"],
        "faces": spec["faces"],
        "port": path,
        "pid": os.getpid(),
        "identity": process_identity(os.getpid()),
    }
    Path(spec["record"]).write_text(json.dumps(record))
    logging.getLogger("reader").info("PN532 on %s facing %s", path, spec["faces"])
    while not stopped.is_set():
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            continue
        try:
            data = os.read(master, 4096)
        except OSError:
            continue
        chip.feed(data)
    Path(spec["record"]).unlink(missing_ok=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
