"""Uploaded file names are labels, never paths (issue 19 item 8), on SQLite and PostgreSQL."""

from __future__ import annotations

import re
from pathlib import Path

from .helpers import sign_up

# From the repository's own corpus (tests/adapters/corpus/SOURCES.md), so the test runs
# wherever the repository is, with or without shared/ beside it.
FENIX2 = (
    Path(__file__).resolve().parents[1]
    / "adapters"
    / "corpus"
    / "fit"
    / "activity-small-fenix2-run.fit"
)


def test_an_upload_named_with_300_bytes_and_a_path_is_imported_under_a_short_label(app) -> None:
    maya = sign_up(app, "maya")
    name = "../../etc/" + "é" * 150 + ".fit"  # 300 bytes of UTF-8 after a path
    files = {"files": (name, FENIX2.read_bytes(), "application/octet-stream")}
    response = maya.client.post("/log", data={"csrf_token": maya.csrf()}, files=files)
    assert response.status_code == 200
    assert "/etc/" not in response.text and "milepost-upload-" not in response.text
    ids = re.findall(r'href="/log/(\d+)"', maya.client.get("/log").text)
    assert len(ids) == 1
    assert maya.client.get(f"/log/{ids[0]}").status_code == 200
