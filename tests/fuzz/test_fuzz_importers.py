"""Fuzzing the FIT, GPX and TCX importers: random and mutated files end in ImportFileError or an
activity — never another exception, never a hang."""

from __future__ import annotations

import io
import math
import random
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from milepost.adapters.importers import iter_upload, read_activities, read_activity
from milepost.errors import ImportFileError
from milepost.services.logbook import upload_label

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


def _upload(kind: str, cut: int) -> bytes:
    if kind == "zip":
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as z:
            z.writestr("__MACOSX/._a.fit", b"\0\5\26\7")
            z.writestr("a.fit", SEEDS["fit"].read_bytes()[: cut * 8])
            z.writestr("b.gpx", SEEDS["gpx"].read_bytes())
        return buffer.getvalue()
    if kind == "junk":
        return bytes(range(256))[:cut]
    return SEEDS[kind].read_bytes()[: max(cut * 8, 1)]


@FUZZ
@given(
    name=st.text(max_size=400),
    kind=st.sampled_from(["fit", "gpx", "tcx", "zip", "junk"]),
    cut=st.integers(0, 1000),
)
def test_an_upload_of_any_name_and_content_ends_in_activities_or_plain_errors(
    name: str, kind: str, cut: int
) -> None:
    label = upload_label(name)
    assert "/" not in label and "\n" not in label and 0 < len(label) <= 120
    for path, member in iter_upload(label, _upload(kind, cut)):
        assert path.startswith(label)
        outcomes = [member] if isinstance(member, ImportFileError) else []
        if isinstance(member, bytes):
            outcomes = [outcome for _, outcome in read_activities([(path, member)])]
        for outcome in outcomes:
            if isinstance(outcome, ImportFileError):
                assert "\n" not in outcome.message and "Traceback" not in outcome.message


readings = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, 250.0, 1e49, 0.0, -5.0]),
)


@FUZZ
@given(
    hr=st.lists(readings, min_size=30, max_size=30),
    ele=st.lists(readings, min_size=30, max_size=30),
    lat=st.lists(readings, min_size=1, max_size=3),
    year=st.integers(1, 9999),
)
def test_any_reading_in_a_track_is_kept_only_when_it_is_possible(
    hr: list[float], ele: list[float], lat: list[float], year: int
) -> None:
    points = []
    for i in range(30):
        la = lat[i % len(lat)] if i % 7 == 0 else 46.0 + i * 3e-5
        points.append(
            f'<trkpt lat="{la!r}" lon="14.0"><ele>{ele[i]!r}</ele>'
            f"<time>{year:04d}-05-01T07:00:{i:02d}Z</time>"
            f"<extensions><hr>{hr[i]!r}</hr></extensions></trkpt>"
        )
    data = (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><type>run</type>'
        f"<trkseg>{''.join(points)}</trkseg></trk></gpx>"
    ).encode()
    try:
        activity = read_activity(data, "odd.gpx").activity
    except ImportFileError as error:
        assert "\n" not in error.message
        return
    assert 1990 <= activity.start.year < 2100
    assert activity.max_hr_bpm is None or 25 <= activity.max_hr_bpm <= 240
    for value in (activity.distance_m, activity.elevation_gain_m, activity.avg_hr_bpm):
        assert value is None or math.isfinite(value)
