"""The writer of one batch folder: it opens and locks the folder and writes its files."""

from __future__ import annotations

import io
import json
import os
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiments.fileio import atomic_write_bytes, atomic_write_text, fsync_dir
from sim.experiments.runs import RunOutput
from sim.experiments.store.errors import StoreError
from sim.experiments.store.index import index_line, read_index, read_manifest, read_runs
from sim.experiments.store.layout import (
    ANNUAL,
    FORMAT,
    INDEX,
    LOCK,
    MANIFEST,
    OWN_ENTRIES,
    RUNS,
    ZONES,
    Key,
)
from sim.experiments.store.quarantine import Repair, repair
from sim.experiments.store.trust import check_no_links, sha256

try:  # POSIX advisory lock: released by the OS even if the process is killed
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]


def table_bytes(table: pa.Table) -> bytes:
    """A table as the Parquet bytes of a store file (zstd)."""
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


class BatchStore:
    """Writer for one batch folder, holding its lock while open."""

    def __init__(self, path: str | Path, *, allow_foreign: bool = False) -> None:
        """Open (and create) the batch folder ``path`` and take its lock.

        Args:
            path: The folder.
            allow_foreign: Accept a non-empty folder that is not a batch (the store's
                entries go beside the files already there, which are left untouched).

        Raises:
            StoreError: If ``path`` is a file, a non-empty folder that is not a batch (and
                ``allow_foreign`` is false), holds an entry with a store name that the store
                did not write, has an unreadable manifest, or another process is writing
                to it.
            OSError: If the folder cannot be created or written.
        """
        self.path = Path(path)
        if self.path.exists() and not self.path.is_dir():
            raise StoreError(f"{self.path}: expected a folder for the batch, got a file")
        self.path.mkdir(parents=True, exist_ok=True)
        check_no_links(self.path)
        self.manifest = read_manifest(self.path)
        if self.manifest is None:
            self._check_new_folder(allow_foreign)
        self._lock = self._take_lock()
        for sub in (ANNUAL, ZONES):
            (self.path / sub).mkdir(exist_ok=True)
        self._counter = 0

    def _take_lock(self) -> Any:
        """Open the folder's lock file and lock it, or refuse if another batch holds it."""
        fd = os.open(
            self.path / LOCK, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o666
        )
        lock = os.fdopen(fd, "a")
        if fcntl is not None:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                lock.close()
                raise StoreError(
                    f"{self.path}: expected no other batch writing to this folder; one is "
                    "running (wait for it or choose another folder)"
                ) from None
        return lock

    def _check_new_folder(self, allow_foreign: bool) -> None:
        """Refuse a folder without a manifest unless it is empty or may hold other files."""
        from sim.experiments.outfolder import RECORD, owner

        command = owner(self.path)
        if command is not None:
            raise StoreError(
                f"expected an empty folder or a batch folder, got the folder of `zonesim "
                f"{command}` ({RECORD}), which a batch never writes into",
                file=self.path,
                advice="choose another {out_dir}",
            )
        entries = sorted(p.name for p in self.path.iterdir())
        ours = [
            e for e in entries if e == LOCK or (e in (ANNUAL, ZONES) and self._empty_dir(e))
        ]  # left by a batch that stopped before its first manifest
        foreign = [e for e in entries if e not in ours]
        if not foreign:
            return
        clash = [e for e in foreign if e in OWN_ENTRIES]
        if clash:
            raise StoreError(
                f"expected an empty folder or a batch folder; it holds {clash[0]!r}, which "
                "this batch would overwrite",
                file=self.path,
                advice="choose another {out_dir}",
            )
        if not allow_foreign:
            raise StoreError(
                f"expected an empty folder or a batch folder; it holds {len(foreign)} other "
                f"entr{'y' if len(foreign) == 1 else 'ies'} (e.g. {foreign[0]!r})",
                file=self.path,
                advice="choose another {out_dir}, or pass {allow_foreign} to put the batch "
                "beside them (they are left untouched)",
            )

    def _empty_dir(self, name: str) -> bool:
        p = self.path / name
        return p.is_dir() and not p.is_symlink() and not any(p.iterdir())

    def close(self) -> None:
        """Release the folder's lock."""
        self._lock.close()

    def __enter__(self) -> BatchStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---------------------------------------------------------------- state
    def repair(self) -> Repair:
        """Verify every part; move corrupt, unindexed and temporary files to quarantine.

        Returns:
            The quarantined files and the finished runs they held
            (:func:`~.quarantine.repair`).
        """
        return repair(self.path)

    def finished(self, *, zones: bool) -> set[Key]:
        """Keys of the runs already stored (with a zone part too if ``zones``).

        Call :meth:`repair` first: this trusts the index.
        """
        out: set[Key] = set()
        for rec in read_index(self.path):
            if not zones or rec.get(ZONES):
                out.update(rec["runs"])
        return out

    def read_runs(self) -> pd.DataFrame | None:
        """The stored run index, or ``None`` for a new batch."""
        return read_runs(self.path) if (self.path / RUNS).is_file() else None

    # ---------------------------------------------------------------- writes
    def write_manifest(self, manifest: Mapping[str, Any]) -> None:
        """Write ``manifest.json`` atomically."""
        text = json.dumps({**manifest, "format": FORMAT}, ensure_ascii=False, indent=1, default=str)
        atomic_write_text(self.path / MANIFEST, text + "\n")
        self.manifest = dict(manifest)

    def write_runs(self, runs: pd.DataFrame) -> None:
        """Write the batch's run index ``runs.parquet`` atomically."""
        table = pa.table(
            {
                "scenario": pa.array(runs["scenario"], pa.string()),
                "replicate": pa.array(runs["replicate"], pa.int64()),
                "sample": pa.array(runs["sample"].astype("Int64"), pa.int64()),
                "seed": pa.array(runs["seed"], pa.int64()),
                "start": pa.array(runs["start"], pa.int64()),
                "end": pa.array(runs["end"], pa.int64()),
                "run_id": pa.array(runs["run_id"], pa.string()),
                "params": pa.array(runs["params"], pa.string()),
            }
        )
        atomic_write_bytes(self.path / RUNS, table_bytes(table))

    def write_output(self, output: RunOutput) -> None:
        """Store a finished chunk: zone part, annual part, then its index line."""
        self._counter += 1
        name = f"part-{time.time_ns():x}-{os.getpid()}-{self._counter:05d}.parquet"
        rec: dict[str, Any] = {"part": name, ANNUAL: None, ZONES: None}
        for sub, table in ((ZONES, output.zones), (ANNUAL, output.annual)):
            if table is not None:
                data = table_bytes(table)
                atomic_write_bytes(self.path / sub / name, data)
                rec[sub] = sha256(data)
        rec["runs"] = output.keys
        self._append_index(index_line(rec).encode("utf-8"))

    def _append_index(self, line: bytes) -> None:
        """Append one line to the part index and fsync it (and the folder, when new)."""
        new = not (self.path / INDEX).exists()
        fd = os.open(
            self.path / INDEX, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o666
        )
        try:
            os.write(fd, line)
            os.fsync(fd)
        finally:
            os.close(fd)
        if new:
            fsync_dir(self.path)
