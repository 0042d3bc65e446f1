"""Resuming a batch: verify every part, set bad and foreign files aside in ``quarantine/``."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

from sim.experiments.fileio import TMP_PREFIX, atomic_write_text, fsync_dir
from sim.experiments.store.index import index_line, read_index
from sim.experiments.store.layout import ANNUAL, INDEX, QUARANTINE, ZONES, Key
from sim.experiments.store.trust import intact_part


@dataclasses.dataclass(frozen=True)
class Repair:
    """What :func:`repair` (:meth:`~.writer.BatchStore.repair`) set aside.

    Attributes:
        moved: The quarantined files (their new paths), in the order found.
        runs: Keys of the finished runs whose parts were among them (no other part
            holds them), in index order: they are no longer stored.
    """

    moved: list[Path]
    runs: list[Key]


def repair(folder: Path) -> Repair:
    """Verify every part; move corrupt, unindexed and temporary files to quarantine.

    The part index is rewritten without the lines of the parts set aside.

    Args:
        folder: The batch folder (its writer holds the lock).

    Returns:
        The quarantined files and the finished runs they held.
    """
    good: list[dict[str, Any]] = []
    keep: set[tuple[str, str]] = set()
    dropped: list[Key] = []
    for rec in read_index(folder):
        files = [(ANNUAL, rec[ANNUAL])] + ([(ZONES, rec[ZONES])] if rec.get(ZONES) else [])
        if all(intact_part(folder / sub / rec["part"], sha) is not None for sub, sha in files):
            good.append(rec)
            keep.update((sub, rec["part"]) for sub, _ in files)
        else:
            dropped.extend(rec["runs"])
    moved = _set_aside_unkept(folder, keep)
    _rewrite_index(folder, good)
    kept = {k for rec in good for k in rec["runs"]}
    lost = [k for k in dict.fromkeys(dropped) if k not in kept]
    return Repair(moved, lost)


def _set_aside_unkept(folder: Path, keep: set[tuple[str, str]]) -> list[Path]:
    """Quarantine every part or temporary file of the store not in ``keep``."""
    moved: list[Path] = []
    for sub in (ANNUAL, ZONES):
        for p in sorted((folder / sub).iterdir()):
            own = p.name.startswith(("part-", TMP_PREFIX)) and p.name.endswith(".parquet")
            if own and (sub, p.name) not in keep and (p.is_symlink() or p.is_file()):
                moved.append(quarantine(folder, p, sub))
    return moved


def _rewrite_index(folder: Path, good: list[dict[str, Any]]) -> None:
    """Write the part index with the ``good`` records only, if it holds anything else."""
    text = (folder / INDEX).read_bytes() if (folder / INDEX).is_file() else b""
    wanted = "".join(index_line(r) for r in good)
    if text.decode("utf-8", "replace") != wanted and (text or good):
        atomic_write_text(folder / INDEX, wanted)


def quarantine(folder: Path, p: Path, sub: str) -> Path:
    """Move ``p`` (of the subfolder ``sub``) into ``quarantine/`` under a name of its own."""
    target_dir = folder / QUARANTINE
    target_dir.mkdir(exist_ok=True)
    target = target_dir / f"{sub}-{p.name}"
    n = 1
    while target.exists():
        n += 1
        target = target_dir / f"{sub}-{n}-{p.name}"
    os.replace(p, target)
    fsync_dir(target_dir)
    fsync_dir(p.parent)
    return target
