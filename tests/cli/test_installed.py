"""The lab as a stranger installs it: the wheel built from this checkout, installed into a
fresh venv, `lab init` in an empty folder outside the repository, `lab run -n 2` there on
the embedded farm from a cold start (no adb server, no device, no service: a network
namespace and runtime folder of its own, so it never meets the test farm), then everything
stopped and the kit's smoke suite run cold again; nothing is left running. The Allure CLI
is on no PATH: the wheel's lab installs it with npm into an empty cache on first use
(before the namespace, which has no network to reach the registry).

The wheel's dependencies are not downloaded again: the fresh venv sees the project
venv's site-packages through a .pth (a plain path, so the checkout's own editable `lab` is
not among them), and imports `lab` from the wheel."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="a network namespace needs root")

SCRIPT = """
set -u
ip link set lo up
export LAB_RUNTIME_DIR={runtime} XDG_CACHE_HOME={cache} PATH={bin}:/usr/sbin:/usr/bin:/sbin:/bin
cd {work}
lab init project > init.txt 2>&1; echo "init $?" >> codes.txt
cd project
lab run -n 2 > ../first.txt 2>&1; echo "first $?" >> ../codes.txt
lab sim down > ../down1.txt 2>&1; lab services down >> ../down1.txt 2>&1
lab run tos/smoke -n 4 > ../second.txt 2>&1; echo "second $?" >> ../codes.txt
lab sim down > ../down2.txt 2>&1; lab services down >> ../down2.txt 2>&1
sleep 1
mine=$(readlink /proc/$$/ns/net)
for p in /proc/[0-9]*; do
  [ "$(readlink $p/ns/net 2>/dev/null)" = "$mine" ] || continue
  tr '\\0' ' ' < $p/cmdline 2>/dev/null; echo
done > ../left.txt
"""


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The fresh venv with the wheel; its `cache` folder holds the Allure CLI the lab
    installed there on first use."""
    folder = tmp_path_factory.mktemp("installed")
    wheels, source = folder / "wheels", folder / "source"
    # built from a copy of the tracked files: setuptools writes build/ into its source
    tracked = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                             check=True).stdout.decode().split("\0")  # fmt: skip
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheels),
                    str(source)], check=True, capture_output=True, timeout=600)  # fmt: skip
    [wheel] = wheels.glob("tos_device_lab-*.whl")
    env_dir = folder / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    site = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()"
                           "['purelib'])"], capture_output=True, text=True, check=True)  # fmt: skip
    Path(site.stdout.strip(), "project-deps.pth").write_text(sysconfig.get_paths()["purelib"])
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True, timeout=600)  # fmt: skip
    first_use = "from lab.report.html import allure_binary; print(allure_binary())"
    said = subprocess.run([str(python), "-c", first_use], capture_output=True, text=True,
                          timeout=600, check=True, cwd="/",
                          env={**os.environ, "XDG_CACHE_HOME": str(env_dir / "cache"),
                               "PATH": "/usr/bin:/bin"})  # fmt: skip
    assert said.stdout.strip().startswith(str(env_dir / "cache")), said.stdout + said.stderr
    return env_dir


def test_the_wheel_carries_what_the_lab_reads(installed):
    python = installed / "bin" / "python"
    probe = (
        "import lab, lab.tos.data as d, lab.project as p, lab.sim.userland.image as i;"
        "from lab.tos.paths import SUITES;"
        "print(lab.__file__); print(d.DEFINITION.is_file(), any(d.GOLDENS.rglob('*.png')),"
        " len(list(i.SOURCE_DIR.glob('*.[ch]'))) == 7, len(p.files()),"
        " (SUITES / 'smoke' / 'test_shell.py').is_file())"
    )
    said = subprocess.run([str(python), "-c", probe], capture_output=True, text=True,
                          check=True, cwd="/").stdout.split("\n")  # fmt: skip
    assert said[0].startswith(str(installed)), said[0]  # the wheel's, not the checkout's
    assert said[1] == "True True True 9 True"


def test_a_stranger_inits_a_project_and_runs_it_cold(installed, tmp_path):
    # a short runtime folder: the device's socket paths must fit in 107 characters
    runtime = Path(tempfile.mkdtemp(prefix="lab-rt-"))
    work, cache = tmp_path / "work", installed / "cache"
    work.mkdir()
    script = SCRIPT.format(runtime=runtime, cache=cache, bin=installed / "bin", work=work)
    try:
        subprocess.run(["unshare", "-n", "bash", "-c", script], timeout=900, check=False)
    finally:
        shutil.rmtree(runtime, ignore_errors=True)
    said = {name: (work / f"{name}.txt").read_text() for name in
            ("init", "first", "second", "down1", "down2", "left", "codes")}  # fmt: skip
    codes = dict(line.split() for line in said["codes"].splitlines())
    assert codes == {"init": "0", "first": "0", "second": "0"}, said
    project = work / "project"
    assert (project / "reports" / "allure-report" / "index.html").is_file(), said["first"]
    assert (project / "reports" / "junit.xml").is_file()
    for run in ("first", "second"):  # a cold start races no adb server
        assert "daemon" not in said[run] and "smartsocket" not in said[run], said[run][-3000:]
        assert "Traceback" not in said[run]
        assert not re.search(r"\d+ (failed|errors?)\b", said[run]), said[run][-3000:]
    assert "5 passed" in said["first"] and "55 passed" in said["second"], said["second"][-2000:]
    assert "adb server 127.0.0.1:5037: stopped" in said["down2"], said["down2"]
    words = ("lab.sim", "lab.services", "adb", "ser2net")
    left = [line for line in said["left"].splitlines() if any(w in line for w in words)]
    assert not left, left
