"""Writing the user's files without ever leaving half of one behind."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from milepost.errors import InputError


def write_atomically(path: Path, data: bytes) -> Path:
    """Write to a temporary file beside ``path``, then rename it into place."""
    target = path.expanduser()
    if target.is_dir():
        raise InputError(f"{target} is a folder", hint="give a file name, e.g. plan.ics")
    if not target.parent.exists():
        raise InputError(f"the folder {target.parent} does not exist")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
