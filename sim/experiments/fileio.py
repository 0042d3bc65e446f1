"""Atomic, durable file writes: the one helper every writer in the project uses.

A file is written to a temporary name in its own folder, flushed and fsynced, then renamed
over the target with :func:`os.replace`, and the folder is fsynced so that the rename itself
survives a power cut. A reader therefore sees either the old file or the new one, never a
half-written file, and a crash leaves at most a ``.tmp-*`` file that no reader opens.
"""

from __future__ import annotations

import contextlib
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

#: Prefix of the temporary files :func:`atomic_write` creates (readers ignore them).
TMP_PREFIX = ".tmp-"


def fsync_dir(folder: str | os.PathLike[str]) -> None:
    """Flush a folder's entries (a rename or a new file in it) to disk.

    Args:
        folder: The folder. Platforms that cannot open a folder (Windows) are skipped.
    """
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # pragma: no cover - Windows
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)


def _new_temp_file(path: Path) -> Path:
    """Create an empty temporary file beside ``path``, with the user's default mode.

    Unlike :func:`tempfile.mkstemp` (always ``0o600``), the file is created with mode
    ``0o666`` less the umask, so the renamed target has the permissions any new file
    of the user would have.
    """
    for _ in range(100):
        tmp = path.with_name(f"{TMP_PREFIX}{secrets.token_hex(6)}{path.suffix}")
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:  # pragma: no cover - 48 random bits
            continue
        os.close(fd)
        return tmp
    raise FileExistsError(f"{path.parent}: expected a free temporary name")  # pragma: no cover


def atomic_write(path: str | os.PathLike[str], write: Callable[[Path], Any]) -> Path:
    """Write a file atomically and durably through a writer function.

    Args:
        path: The target file. Its folder must exist.
        write: Called with a temporary path in the same folder; it must create that file
            (for example ``lambda p: df.to_parquet(p)`` or ``fig.savefig``).

    Returns:
        The target path.

    Raises:
        OSError: If writing, syncing or renaming fails; the target is then unchanged and
            the temporary file removed.
    """
    path = Path(path)
    tmp = _new_temp_file(path)
    try:
        write(tmp)
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)
    return path


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically and durably (see :func:`atomic_write`)."""
    return atomic_write(path, lambda p: p.write_bytes(data))


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write UTF-8 ``text`` to ``path`` atomically and durably (see :func:`atomic_write`)."""
    return atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_parquet(
    path: str | os.PathLike[str], df: Any, metadata: Mapping[str, str] | None = None
) -> Path:
    """Write a table to Parquet atomically, with optional key-value metadata in its schema.

    Args:
        path: The target file. Its folder is created if needed.
        df: A pandas ``DataFrame`` (its index is not stored).
        metadata: Text entries added to the schema metadata (read them back with
            :func:`parquet_metadata`).
    """
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    if metadata:
        merged = dict(table.schema.metadata or {})
        merged.update({k.encode(): v.encode() for k, v in metadata.items()})
        table = table.replace_schema_metadata(merged)
    return atomic_write(path, lambda p: pq.write_table(table, p))


def parquet_metadata(path: str | os.PathLike[str]) -> dict[str, str]:
    """The text metadata of a Parquet file's schema (see :func:`atomic_write_parquet`)."""
    import pyarrow.parquet as pq

    meta = pq.read_schema(path).metadata or {}
    return {k.decode(): v.decode() for k, v in meta.items()}
