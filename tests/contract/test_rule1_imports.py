"""Rule 1 is enforced: the import contract breaks when a suite or the harness imports lab.sim."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(tree: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache"],
        cwd=tree,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    for name in ("lab", "tests"):
        shutil.copytree(ROOT / name, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def test_contract_holds_on_the_repository(tree):
    done = _lint(tree)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize(
    "offender", ["lab/tos/suites/smoke/peeking_suite.py", "lab/device/peeking.py"]
)
def test_contract_breaks_on_an_import_of_lab_sim(tree, offender):
    (tree / offender).write_text("import lab.sim\n")
    done = _lint(tree)
    assert done.returncode != 0
    module = offender.removesuffix(".py").replace("/", ".")
    assert module in done.stdout
    assert "BROKEN" in done.stdout


@pytest.mark.parametrize(
    ("offender", "imports"),
    [
        ("lab/vision/peeking.py", "from lab.device.dut import Dut\n"),  # vision stays pure
        ("lab/device/peeking.py", "import lab.plugin\n"),  # a floor never imports up
        ("lab/inventory/peeking.py", "import lab.report\n"),
    ],
)
def test_layers_contract_breaks_on_an_upward_import(tree, offender, imports):
    (tree / offender).write_text(imports)
    done = _lint(tree)
    assert done.returncode != 0 and "Floors" in done.stdout and "BROKEN" in done.stdout
