"""APK tests make their keys in a folder of their own (never the user's test key)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True, scope="session")
def _own_keys(tmp_path_factory):
    folder = tmp_path_factory.mktemp("xdg")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_DATA_HOME", str(folder))
        yield folder
