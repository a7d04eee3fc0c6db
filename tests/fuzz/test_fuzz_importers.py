"""Fuzzing the FIT, GPX and TCX importers: random and mutated files end in ImportFileError or an
activity — never another exception, never a hang."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepost.adapters.importers import read_activity
from milepost.errors import ImportFileError

SHARED = Path(__file__).resolve().parents[3] / "shared" / "data" / "activities"
SEEDS = {
    "fit": SHARED / "fit" / "garmin-fenix-5-run.fit",
    "gpx": SHARED / "gpx" / "track-with-empty-segment.gpx",
    "tcx": SHARED / "tcx" / "no_hr.tcx",
}
pytestmark = pytest.mark.skipif(
    not SHARED.exists(), reason=f"the sample activities are not at {SHARED}"
)
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _read(data: bytes, name: str) -> None:
    try:
        read_activity(data, name)
    except ImportFileError as error:
        assert error.path and error.message


@pytest.mark.parametrize("kind", sorted(SEEDS))
@FUZZ
@given(seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 40))
def test_a_mutated_file_fails_cleanly(kind: str, seed: int, flips: int) -> None:
    data = bytearray(SEEDS[kind].read_bytes())
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    cut = rng.randrange(len(data) // 2, len(data) + 1)
    _read(bytes(data[:cut]), f"fuzzed.{kind}")


@pytest.mark.parametrize("kind", ["fit", "gpx", "tcx"])
@FUZZ
@given(data=st.binary(max_size=512))
def test_random_bytes_fail_cleanly(kind: str, data: bytes) -> None:
    _read(data, f"random.{kind}")


def test_an_xml_entity_bomb_is_refused() -> None:
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        + b"".join(
            f'<!ENTITY lol{i} "{"&lol" + str(i - 1) + ";" if i > 1 else "&lol;"}'.encode()
            + b'&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
            for i in range(1, 10)
        )
        + b"]><gpx><trk><name>&lol9;</name></trk></gpx>"
    )
    with pytest.raises(ImportFileError):
        read_activity(bomb, "bomb.gpx")


def test_an_external_entity_is_never_fetched() -> None:
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<gpx><trk><name>&x;</name><trkseg></trkseg></trk></gpx>"
    )
    with pytest.raises(ImportFileError) as info:
        read_activity(xxe, "xxe.gpx")
    assert "root:" not in str(info.value)
