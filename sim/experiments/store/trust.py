"""What the store trusts: entries that are not symbolic links, parts that match their checksum."""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path

from sim.experiments.store.errors import StoreError
from sim.experiments.store.layout import OWN_ENTRIES, SUBFOLDERS


def sha256(data: bytes) -> str:
    """The hex sha256 of ``data``, as the part index records it."""
    return hashlib.sha256(data).hexdigest()


def check_no_links(folder: Path) -> None:
    """Refuse a batch folder whose store entries include a symbolic link.

    Raises:
        StoreError: Naming the link and what to do.
    """
    for name in OWN_ENTRIES:
        entry = folder / name
        if entry.is_symlink():
            raise StoreError(
                f"expected the batch's own {'folder' if name in SUBFOLDERS else 'file'}, got a "
                "symbolic link, which the store never follows",
                file=entry,
                advice="replace it with the real one or run the batch into a new {out_dir} folder",
            )


def read_part(path: Path) -> bytes | None:
    """A part file's bytes; ``None`` if it is absent, a symbolic link or not a regular file."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read()
    except OSError:
        return None
    finally:
        os.close(fd)


def intact_part(path: Path, sha: str) -> bytes | None:
    """A part file's bytes if they match the checksum ``sha``; ``None`` otherwise."""
    data = read_part(path)
    return data if data is not None and sha256(data) == sha else None
