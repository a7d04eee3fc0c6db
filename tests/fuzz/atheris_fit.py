"""Coverage-guided fuzzing of the FIT importer with atheris (``make fuzz``; not part of
``make test``: it runs until stopped, or for ``-runs=N`` / ``-max_total_time=S``).

The property is the one tests/fuzz/test_fuzz_importers.py checks with Hypothesis: any bytes end
in an activity or an ImportFileError, never another exception. Atheris instruments the importer
(and fitdecode/fitfast beneath it) and mutates towards new code paths, which random mutation
rarely reaches in a binary format. The corpus starts from the sample FIT files.

    .venv/bin/python tests/fuzz/atheris_fit.py -max_total_time=300
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
import warnings
from pathlib import Path

try:
    import atheris
except ImportError:  # pragma: no cover - it is an optional, native-code package
    print("atheris is not installed (pip install -c constraints.txt atheris): fuzzing skipped")
    raise SystemExit(0) from None

with atheris.instrument_imports():
    from milepost.adapters.importers import read_activity
    from milepost.errors import ImportFileError

SAMPLES = Path(__file__).resolve().parents[3] / "shared" / "data" / "activities" / "fit"


def one_input(data: bytes) -> None:
    # Refused with a typed error is what a broken file should get; anything else is a crash.
    with contextlib.suppress(ImportFileError):
        read_activity(data, "fuzz.fit")


def main() -> None:
    warnings.simplefilter("ignore")  # fitdecode warns on odd field sizes; not a failure
    corpus = Path(tempfile.mkdtemp(prefix="milepost-fuzz-fit-"))
    for sample in sorted(SAMPLES.glob("*.fit")):
        (corpus / sample.name).write_bytes(sample.read_bytes())
    atheris.Setup([*sys.argv, str(corpus)], one_input)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
