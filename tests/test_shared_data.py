"""The real-data switch: a plain clone skips the real-data tests with a reason, CI
(`INFOOPS_REQUIRE_SHARED_DATA=1`) fails them, and a file missing from a present folder
always fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import shared_data as sd


@pytest.fixture
def no_shared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    missing = tmp_path / "shared" / "data" / "real"
    monkeypatch.setattr(sd, "SHARED_REAL", missing)
    return missing


def test_absent_folder_skips_with_its_path(no_shared: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sd.REQUIRE_SWITCH, raising=False)
    with pytest.raises(pytest.skip.Exception, match=re.escape(str(no_shared))):
        sd.shared_data("io-russia-201901-sample/speed_layer_sample.csv")
    with pytest.warns(UserWarning, match="left out"):
        assert sd.shared_data_if_present("x.csv") is None


def test_absent_folder_fails_under_the_switch(no_shared: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(sd.REQUIRE_SWITCH, "1")
    message = f"{re.escape(str(no_shared))}.*{sd.REQUIRE_SWITCH}"
    for call in (sd.shared_data, sd.shared_data_if_present):
        with pytest.raises(pytest.fail.Exception, match=message):
            call("io-russia-201901-sample/speed_layer_sample.csv")


def test_a_file_missing_from_a_present_folder_fails(no_shared: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(sd.REQUIRE_SWITCH, raising=False)
    no_shared.mkdir(parents=True)
    with pytest.raises(pytest.fail.Exception, match=r"renamed\.csv is missing"):
        sd.shared_data("renamed.csv")
