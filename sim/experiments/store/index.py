"""Reading a batch folder's records: the manifest, the part index and the run index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from sim.experiments.store.errors import StoreError
from sim.experiments.store.layout import (
    ANNUAL,
    FORMAT,
    INDEX,
    MANIFEST,
    PART_PATTERN,
    RUN_COLUMNS,
    RUNS,
    SHA256_PATTERN,
    ZONES,
)
from sim.experiments.store.trust import check_no_links


def read_manifest(path: str | Path) -> dict[str, Any] | None:
    """Read a batch folder's manifest.

    Args:
        path: The batch folder.

    Returns:
        The manifest, or ``None`` if the folder has no ``manifest.json``.

    Raises:
        StoreError: If the manifest is not valid JSON, not an object, not of this store's
            format, or has malformed entries.
    """
    file = Path(path) / MANIFEST
    if not file.exists() and not file.is_symlink():
        return None
    check_no_links(Path(path))
    if not file.is_file():
        raise StoreError(f"{file}: expected a file, got a folder; choose another folder")
    try:
        manifest = json.loads(file.read_bytes().decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreError(
            f"{file}: expected a batch manifest (JSON object), got unreadable content ({exc}); "
            "restore the file or choose a new folder"
        ) from None
    if not isinstance(manifest, dict):
        raise StoreError(
            f"{file}: expected a batch manifest (JSON object), got a JSON "
            f"{type(manifest).__name__}; this folder is not a batch, choose another folder"
        )
    _check_format(file, manifest.get("format"))
    for key, kind in (("invocations", list), ("scenarios", dict)):
        if not isinstance(manifest.get(key, kind()), kind):
            raise StoreError(
                f"{file}: {key}: expected a JSON {'list' if kind is list else 'object'}, got "
                f"{type(manifest[key]).__name__}; restore the file or choose a new folder"
            )
    return manifest


def _check_format(file: Path, fmt: Any) -> None:
    """Refuse a manifest of the earlier store format, or of none."""
    if fmt == 1:
        raise StoreError(
            f"{file}: a batch of the earlier store format (1), which this version does not "
            "extend; load it with the earlier version or run the batch into a new folder"
        )
    if fmt != FORMAT:
        raise StoreError(
            f'{file}: expected a batch manifest with "format": "{FORMAT}", got {fmt!r}; '
            "this folder is not a batch, choose another folder"
        )


def read_index(folder: Path) -> list[dict[str, Any]]:
    """Index lines that parse; a torn or garbled line is skipped (its parts are unindexed)."""
    file = folder / INDEX
    if not file.is_file():
        return []
    out = []
    for line in file.read_bytes().splitlines():
        try:
            rec = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError):
            continue
        if _is_record(rec):
            rec["runs"] = [tuple(k) for k in rec["runs"]]
            out.append(rec)
    return out


def _is_record(rec: Any) -> bool:
    """Whether a parsed index line names a part of the store's own and its checksums."""
    return (
        isinstance(rec, dict)
        and isinstance(rec.get("part"), str)
        and PART_PATTERN.fullmatch(rec["part"]) is not None
        and isinstance(rec.get(ANNUAL), str)
        and SHA256_PATTERN.fullmatch(rec[ANNUAL]) is not None
        and (
            rec.get(ZONES) is None
            or (isinstance(rec[ZONES], str) and SHA256_PATTERN.fullmatch(rec[ZONES]) is not None)
        )
        and isinstance(rec.get("runs"), list)
        and all(isinstance(k, list) and len(k) == 4 for k in rec["runs"])
    )


def index_line(rec: dict[str, Any]) -> str:
    """A part index record as the line the index holds (run keys as JSON lists)."""
    return json.dumps({**rec, "runs": [list(k) for k in rec["runs"]]}, ensure_ascii=False) + "\n"


def read_runs(folder: Path) -> pd.DataFrame:
    """The batch's run index (``runs.parquet``), with ``sample`` as a nullable integer.

    Raises:
        StoreError: If the file cannot be read or lacks a column of :data:`RUN_COLUMNS`.
    """
    file = folder / RUNS
    try:
        runs = pq.read_table(file).to_pandas()
    except (OSError, pa.ArrowException) as exc:
        raise StoreError(
            f"{file}: expected the batch's run index (Parquet), could not read it "
            f"({str(exc).splitlines()[0]}); restore it or run the batch into a new folder"
        ) from None
    missing = [c for c in RUN_COLUMNS if c not in runs.columns]
    if missing:
        raise StoreError(f"{file}: expected a column {missing[0]!r} in the run index")
    runs["sample"] = runs["sample"].astype("Int64")
    return runs
