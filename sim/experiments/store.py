"""Results store: one folder per batch, written as runs finish, never losing data.

Layout of a batch folder::

    manifest.json        format marker, scenarios, invocations (see batch.execute)
    runs.parquet         every run of the batch: labels, seed, horizon, run id, parameters
    parts.jsonl          the part index: one JSON line per stored part, with the run keys it
                         holds and the sha256 of its annual and zone files
    annual/part-*.parquet   annual metrics, one part per finished chunk of runs
    zones/part-*.parquet    zone-year rows, same part names (absent with zones=False)
    quarantine/          corrupt, truncated or foreign parts moved aside (never deleted)

Rules the store keeps:

* **It trusts only names it made.** A part named in the index must match the store's own
  pattern (:data:`PART_PATTERN`: no folder, no ``..``, no absolute path), so it lies in
  the batch folder; an index line naming anything else is ignored like a torn line (its
  runs are missing, a resume drops the line and recomputes them). No symbolic link is
  followed: a store entry (``annual/``, ``parts.jsonl``, ...) that is a link is refused
  with a message, and a part file that is a link, or not a regular file, is read as
  corrupt (a resume moves the link itself to ``quarantine/``).
* **It knows its own files.** A folder is a batch when its ``manifest.json`` carries the
  format marker :data:`FORMAT`. The store writes only the entries above and never deletes
  or overwrites anything else. A non-empty folder that is not a batch is refused, unless the
  caller passes ``allow_foreign=True`` (``zonesim run --force-into-nonempty``); even then
  the folder must not already hold an entry of the names above, and every other file stays
  as it is. A batch of the earlier format (``"format": 1``) is refused with a line saying to
  start a new folder.
* **Writes are atomic and durable.** Parts are written through
  :mod:`sim.experiments.fileio` (temporary file, fsync, rename, fsync of the folder), zone
  part first, then the annual part; only then is the part's line appended to the index
  and fsynced. A run is finished when an index line names it and its files match their
  checksums.
* **Integrity.** :func:`load_results` verifies every part against its sha256 and compares
  the runs the run index lists with the runs stored: a run that is not (unfinished, or its
  part is corrupt or was set aside) is an error (:class:`MissingRunsError`) naming the runs
  and the command that recomputes them, unless the caller allows missing runs, which then
  are listed in :attr:`Results.missing` with a warning. Every resume
  (:meth:`BatchStore.repair`) verifies every part and moves corrupt, truncated, unindexed
  (foreign) and leftover temporary files to ``quarantine/``; the batch reports which runs
  they held and which of them it recomputes (those it was asked for).
  A run stored twice is read once, chosen by run key in index order, never by file name.
* **Append-only.** The run index grows: a later batch into the same folder adds its runs
  (other scenarios, seeds or replicates) and every earlier run stays visible. A run that
  has the same scenario, replicate, sample and seed as a stored one but a different run id
  (other parameters or horizon) is refused by :func:`check_compatible`, as is a batch of
  another model version: such a batch belongs in a new folder.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import io
import json
import os
import re
import stat
import time
import warnings
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar, overload

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from sim.errors import MissingFileError, ZonesimError
from sim.experiments.fileio import TMP_PREFIX, atomic_write_bytes, atomic_write_text, fsync_dir
from sim.experiments.runs import RunOutput, RunSpec, params_json

try:  # POSIX advisory lock: released by the OS even if the process is killed
    import fcntl
except ImportError:  # pragma: no cover (Windows)
    fcntl = None  # type: ignore[assignment]

#: Format marker of a batch folder's manifest.
FORMAT = "zonesim-batch/2"
MANIFEST = "manifest.json"
RUNS = "runs.parquet"
INDEX = "parts.jsonl"
ANNUAL = "annual"
ZONES = "zones"
QUARANTINE = "quarantine"
LOCK = ".lock"
#: Every name the store writes at the top of a batch folder.
OWN_ENTRIES = (MANIFEST, RUNS, INDEX, ANNUAL, ZONES, QUARANTINE, LOCK)
SUBFOLDERS = (ANNUAL, ZONES, QUARANTINE)
#: Names of the part files the store writes (``part-<ns hex>-<pid>-<counter>.parquet``).
PART_PATTERN = re.compile(r"part-[0-9a-f]{1,20}-[0-9]{1,10}-[0-9]{5,}\.parquet")
_SHA256 = re.compile(r"[0-9a-f]{64}")
KEY_COLUMNS = ("scenario", "replicate", "sample", "run_id")
RUN_COLUMNS = ("scenario", "replicate", "sample", "seed", "start", "end", "run_id", "params")

Key = tuple[str, int, int, str]


class StoreError(ZonesimError, ValueError):
    """A batch folder cannot be used as asked (message names the path and what to do).

    The advice may name arguments of :func:`sim.experiments.batch.execute` and
    :func:`load_results` as ``{out_dir}``, ``{allow_foreign}`` and ``{allow_missing}``
    placeholders (:attr:`arguments`), which a front end that calls them otherwise spells its
    own way (:meth:`~sim.errors.ZonesimError.message`).
    """

    arguments: ClassVar[Mapping[str, str]] = {
        "out_dir": "out_dir",
        "allow_foreign": "allow_foreign=True",
        "allow_missing": "allow_missing=True",
        "overwrite": "overwrite=True",
    }


class MissingRunsError(StoreError):
    """Runs that a batch's run index lists are not stored (unfinished, or their part was bad).

    The message names the folder, the runs (scenario, replicate or sample, seed) and the
    command(s) that recompute them; the same facts are attributes.

    Attributes:
        path: The batch folder.
        missing: The missing runs (rows of the run index).
        commands: Command lines that recompute them, each with the runs it covers.
    """

    def __init__(self, results: Results) -> None:
        """Build the error for the runs of ``results`` that are not stored."""
        self.path = results.path
        self.missing = results.missing
        self.commands = recompute_commands(results.manifest, self.missing)
        corrupt = [p.relative_to(self.path).as_posix() for p in results.corrupt]
        bad = (
            f"{len(corrupt)} part(s) do not match their checksum (corrupt, truncated or "
            f"changed: {', '.join(corrupt)}; running again sets them aside); "
            if corrupt
            else ""
        )
        super().__init__(
            f"expected every run the batch lists in {RUNS} to be stored; "
            f"{len(self.missing)} of {len(results.runs)} are not (unfinished, corrupt or set "
            f"aside): {describe_runs(self.missing)}",
            file=self.path,
            advice=f"{bad}{recompute_advice(self.commands)}, or pass {{allow_missing}} to load "
            "the runs that are stored",
        )


def run_counts(counts: Mapping[str, int]) -> str:
    """``"5 ran, 20 reused"``, with the runs set aside and recomputed after a quarantine.

    Args:
        counts: An invocation's ``runs`` entry (``run``, ``skipped``, and ``set_aside``
            and ``recomputed`` where a quarantine set runs aside).
    """
    text = f"{counts.get('run', 0)} ran, {counts.get('skipped', 0)} reused"
    set_aside = counts.get("set_aside", 0)
    if set_aside:
        recomputed = counts.get("recomputed", 0)
        text += f"; {recomputed} of the {set_aside} run(s) set aside in quarantine recomputed" + (
            f", {set_aside - recomputed} still missing" if recomputed < set_aside else ""
        )
    return text


def describe_runs(runs: pd.DataFrame, limit: int = 12) -> str:
    """Runs in words, scenario by scenario: ``baseline replicates 0, 1 (seeds 5, 7)``.

    At most ``limit`` runs are named; the rest are counted.
    """
    parts, named = [], 0
    for name, grp in runs.groupby("scenario", sort=False):
        grp = grp.iloc[: max(limit - named, 0)]
        if grp.empty:
            break
        named += len(grp)
        sampled = grp["sample"].notna().all()
        ids = (grp["sample"] if sampled else grp["replicate"]).astype(int).astype(str)
        kind = ("sample" if sampled else "replicate") + ("s" if len(grp) > 1 else "")
        seeds = ", ".join(grp["seed"].astype(int).astype(str))
        plural = "s" if len(grp) > 1 else ""
        parts.append(f"{name} {kind} {', '.join(ids)} (seed{plural} {seeds})")
    more = f" and {len(runs) - named} more" if named < len(runs) else ""
    return "; ".join(parts) + more


def recompute_commands(
    manifest: Mapping[str, Any], runs: pd.DataFrame
) -> list[tuple[str, pd.DataFrame]]:
    """The recorded commands that compute ``runs``, each with the runs it covers.

    A run belongs to the latest invocation that asked for its scenario with the master
    seed that gives the run's seed (for a sample design, the latest that asked for its
    scenario); runs no invocation claims go with the latest command.
    """
    from sim.experiments.seeds import replicate_seed

    invocations = [i for i in manifest.get("invocations", []) if isinstance(i, dict)]
    owner: list[str | None] = []
    for r in runs.itertuples(index=False):
        found = None
        for inv in reversed(invocations):
            asked = inv.get("scenarios")
            if isinstance(asked, dict) and r.scenario not in asked:
                continue
            master = inv.get("master_seed")
            if (
                pd.isna(r.sample)
                and isinstance(master, int)
                and master >= 0
                and replicate_seed(master, int(r.replicate)) != int(r.seed)
            ):
                continue
            found = inv.get("command")
            break
        owner.append(found or (invocations[-1].get("command") if invocations else None))
    out = []
    for command in dict.fromkeys(owner):
        mask = [o == command for o in owner]
        out.append((command or "the command that made this batch", runs[mask]))
    return out


def recompute_advice(commands: Sequence[tuple[str, pd.DataFrame]]) -> str:
    """``recompute them by running again `cmd` (stored runs are reused)`` and the like."""
    if len(commands) == 1:
        return f"recompute them by running again `{commands[0][0]}` (stored runs are reused)"
    each = "; ".join(f"`{cmd}` for {describe_runs(runs)}" for cmd, runs in commands)
    return f"recompute them by running again (stored runs are reused): {each}"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _table_bytes(table: pa.Table) -> bytes:
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return sink.getvalue()


def _keys_of(table: pa.Table) -> Iterator[tuple[Key, int, int]]:
    """Yield ``(key, first row, end row)`` for each run's contiguous rows."""
    n = table.num_rows
    if n == 0:
        return
    cols = [table.column(c).to_numpy(zero_copy_only=False) for c in KEY_COLUMNS]
    cols[2] = pc.fill_null(table.column("sample"), -1).to_numpy()
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for c in cols:
        change[1:] |= c[1:] != c[:-1]
    starts = np.flatnonzero(change)
    ends = np.append(starts[1:], n)
    for a, b in zip(starts, ends, strict=True):
        yield (str(cols[0][a]), int(cols[1][a]), int(cols[2][a]), str(cols[3][a])), int(a), int(b)


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
    fmt = manifest.get("format")
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
    for key, kind in (("invocations", list), ("scenarios", dict)):
        if not isinstance(manifest.get(key, kind()), kind):
            raise StoreError(
                f"{file}: {key}: expected a JSON {'list' if kind is list else 'object'}, got "
                f"{type(manifest[key]).__name__}; restore the file or choose a new folder"
            )
    return manifest


def _read_index(folder: Path) -> list[dict[str, Any]]:
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
        if (
            isinstance(rec, dict)
            and isinstance(rec.get("part"), str)
            and PART_PATTERN.fullmatch(rec["part"])
            and isinstance(rec.get(ANNUAL), str)
            and _SHA256.fullmatch(rec[ANNUAL])
            and (
                rec.get(ZONES) is None
                or (isinstance(rec[ZONES], str) and _SHA256.fullmatch(rec[ZONES]))
            )
            and isinstance(rec.get("runs"), list)
            and all(isinstance(k, list) and len(k) == 4 for k in rec["runs"])
        ):
            rec["runs"] = [tuple(k) for k in rec["runs"]]
            out.append(rec)
    return out


def _read_runs(folder: Path) -> pd.DataFrame:
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


def _run_key(row: tuple[Any, ...]) -> Key:
    sc, rep, sample, run_id = row
    return (str(sc), int(rep), _sample(sample), str(run_id))


def runs_table(specs: Sequence[RunSpec]) -> pd.DataFrame:
    """The run index rows of ``specs`` (columns :data:`RUN_COLUMNS`)."""
    cache: dict[int, str] = {}  # specs of one scenario share one params mapping
    params = []
    for s in specs:
        if id(s.params) not in cache:
            cache[id(s.params)] = params_json(s.params)
        params.append(cache[id(s.params)])
    df = pd.DataFrame(
        {
            "scenario": [s.scenario for s in specs],
            "replicate": np.array([s.replicate for s in specs], dtype=np.int64),
            "sample": pd.array([s.sample for s in specs], dtype="Int64"),
            "seed": np.array([int(s.seed) for s in specs], dtype=np.int64),
            "start": np.array([s.start for s in specs], dtype=np.int64),
            "end": np.array([s.end for s in specs], dtype=np.int64),
            "run_id": [s.run_id for s in specs],
            "params": params,
        }
    )
    return df


def run_difference(first: Mapping[str, Any], second: Mapping[str, Any]) -> str:
    """What differs between two run index rows of one identity, as ``"what a -> b"`` items.

    Compares the seed, the horizon (``start``, ``end``) and every parameter (the ``params``
    JSON); when all of them agree the runs differ in the model or data behind the run id.
    """
    diffs = [
        f"{key} {first[key]} -> {second[key]}"
        for key in ("seed", "start", "end")
        if first[key] != second[key]
    ]
    a, b = json.loads(first["params"]), json.loads(second["params"])
    diffs += [
        f"{name} {a.get(name, '(unset)')!r} -> {b.get(name, '(unset)')!r}"
        for name in sorted(set(a) | set(b))
        if a.get(name) != b.get(name)
    ]
    return ", ".join(diffs) or f"run id {first['run_id']} -> {second['run_id']} (model or data)"


def check_compatible(stored: pd.DataFrame, new: pd.DataFrame, folder: Path) -> None:
    """Refuse runs that would replace stored runs of the same identity.

    A run's identity in a batch is (scenario, replicate, sample, seed); a new run with a
    stored identity must have the stored run id (same parameters, horizon and model).

    Raises:
        StoreError: Naming the first conflicting scenario, the parameters (or horizon) that
            changed, stored value first, and how to proceed.
    """
    ident = ["scenario", "replicate", "sample", "seed"]
    cols = ["start", "end", "run_id", "params"]
    merged = new.merge(stored[ident + cols], on=ident, suffixes=("", "_stored"))
    clash = merged[merged["run_id"] != merged["run_id_stored"]]
    if clash.empty:
        return
    row = clash.iloc[0]
    was = {"seed": row["seed"], **{c: row[f"{c}_stored"] for c in cols}}
    raise StoreError(
        f"scenario {row['scenario']!r} (replicate {row['replicate']}, seed "
        f"{row['seed']}): expected the parameters and horizon of the runs already in this "
        f"batch, got different ones (stored -> new: {run_difference(was, row)})",
        file=folder,
        advice="a batch only grows, so run the changed scenario into a new {out_dir} folder "
        "(or give it another name)",
    )


@dataclasses.dataclass(frozen=True)
class Repair:
    """What :meth:`BatchStore.repair` set aside.

    Attributes:
        moved: The quarantined files (their new paths), in the order found.
        runs: Keys of the finished runs whose parts were among them (no other part
            holds them), in index order: they are no longer stored.
    """

    moved: list[Path]
    runs: list[Key]


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
        fd = os.open(
            self.path / LOCK, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW, 0o666
        )
        self._lock = os.fdopen(fd, "a")
        if fcntl is not None:
            try:
                fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                self._lock.close()
                raise StoreError(
                    f"{self.path}: expected no other batch writing to this folder; one is "
                    "running (wait for it or choose another folder)"
                ) from None
        for sub in (ANNUAL, ZONES):
            (self.path / sub).mkdir(exist_ok=True)
        self._counter = 0

    def _check_new_folder(self, allow_foreign: bool) -> None:
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
            The quarantined files and the finished runs they held.
        """
        good: list[dict[str, Any]] = []
        keep: set[tuple[str, str]] = set()
        moved: list[Path] = []
        dropped: list[Key] = []
        records = _read_index(self.path)
        for rec in records:
            files = [(ANNUAL, rec[ANNUAL])] + ([(ZONES, rec[ZONES])] if rec.get(ZONES) else [])
            if all(self._verify(sub, rec["part"], sha) for sub, sha in files):
                good.append(rec)
                keep.update((sub, rec["part"]) for sub, _ in files)
            else:
                dropped.extend(rec["runs"])
        for sub in (ANNUAL, ZONES):
            for p in sorted((self.path / sub).iterdir()):
                own = p.name.startswith(("part-", TMP_PREFIX)) and p.name.endswith(".parquet")
                if own and (sub, p.name) not in keep and (p.is_symlink() or p.is_file()):
                    moved.append(self._quarantine(p, sub))
        text = (self.path / INDEX).read_bytes() if (self.path / INDEX).is_file() else b""
        wanted = "".join(json.dumps(_plain(r), ensure_ascii=False) + "\n" for r in good)
        if text.decode("utf-8", "replace") != wanted and (text or good):
            atomic_write_text(self.path / INDEX, wanted)
        kept = {k for rec in good for k in rec["runs"]}
        lost = [k for k in dict.fromkeys(dropped) if k not in kept]
        return Repair(moved, lost)

    def _verify(self, sub: str, name: str, sha: str) -> bool:
        data = read_part(self.path / sub / name)
        return data is not None and _sha256(data) == sha

    def _quarantine(self, p: Path, sub: str) -> Path:
        folder = self.path / QUARANTINE
        folder.mkdir(exist_ok=True)
        target = folder / f"{sub}-{p.name}"
        n = 1
        while target.exists():
            n += 1
            target = folder / f"{sub}-{n}-{p.name}"
        os.replace(p, target)
        fsync_dir(folder)
        fsync_dir(p.parent)
        return target

    def finished(self, *, zones: bool) -> set[Key]:
        """Keys of the runs already stored (with a zone part too if ``zones``).

        Call :meth:`repair` first: this trusts the index.
        """
        out: set[Key] = set()
        for rec in _read_index(self.path):
            if not zones or rec.get(ZONES):
                out.update(rec["runs"])
        return out

    def read_runs(self) -> pd.DataFrame | None:
        """The stored run index, or ``None`` for a new batch."""
        return _read_runs(self.path) if (self.path / RUNS).is_file() else None

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
        atomic_write_bytes(self.path / RUNS, _table_bytes(table))

    def write_output(self, output: RunOutput) -> None:
        """Store a finished chunk: zone part, annual part, then its index line."""
        self._counter += 1
        name = f"part-{time.time_ns():x}-{os.getpid()}-{self._counter:05d}.parquet"
        rec: dict[str, Any] = {"part": name, ANNUAL: None, ZONES: None}
        for sub, table in ((ZONES, output.zones), (ANNUAL, output.annual)):
            if table is not None:
                data = _table_bytes(table)
                atomic_write_bytes(self.path / sub / name, data)
                rec[sub] = _sha256(data)
        rec["runs"] = [list(k) for k in output.keys]
        line = (json.dumps(rec, ensure_ascii=False) + "\n").encode("utf-8")
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


def _plain(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {**rec, "runs": [list(k) for k in rec["runs"]]}


class Results:
    """A batch's results, loaded from its folder.

    Attributes:
        path: The batch folder.
        manifest: The manifest (``manifest.json``) as a dictionary.
        runs: Every run of the batch (one row per run: ``scenario, replicate, sample,
            seed, start, end, run_id, params`` as JSON), in batch order.
    """

    def __init__(self, path: Path, manifest: dict[str, Any], runs: pd.DataFrame) -> None:
        self.path = path
        self.manifest = manifest
        self.runs = self._with_design(runs)
        self._order: dict[Key, int] = {_run_key(r): i for i, r in enumerate(_key_rows(runs))}
        self._index = _read_index(path)
        self._checked: dict[tuple[str, str], bool] = {}

    def __repr__(self) -> str:
        return f"Results({str(self.path)!r}, runs={len(self.runs)}, missing={len(self.missing)})"

    @functools.cached_property
    def annual(self) -> pd.DataFrame:
        """Annual metrics: ``scenario, replicate, seed, year``, metrics, ``sample, run_id``."""
        return self._load(ANNUAL)

    @functools.cached_property
    def zones(self) -> pd.DataFrame:
        """Zone-years: ``scenario, replicate, seed, year``, zone columns, ``sample, run_id``."""
        return self._load(ZONES)

    @property
    def corrupt(self) -> list[Path]:
        """Part files read so far that do not match their checksum (or are unreadable)."""
        return [self.path / sub / name for (sub, name), ok in self._checked.items() if not ok]

    @functools.cached_property
    def missing(self) -> pd.DataFrame:
        """Runs of the batch absent from a table it keeps (not finished, or a part corrupt).

        The zone table counts when the batch keeps zone tables (its manifest's ``zones``).
        """
        tables = (ANNUAL, ZONES) if self.keeps_zones else (ANNUAL,)
        done = set.intersection(*(self._done(t) for t in tables))
        return self.runs[~np.isin(np.arange(len(self.runs)), list(done))]

    def missing_from(self, table: str) -> pd.DataFrame:
        """Runs of the batch absent from ``table`` (``"annual"`` or ``"zones"``)."""
        if table not in (ANNUAL, ZONES):
            raise ValueError(f"table: expected {ANNUAL!r} or {ZONES!r}, got {table!r}")
        return self.runs[~np.isin(np.arange(len(self.runs)), list(self._done(table)))]

    @property
    def keeps_zones(self) -> bool:
        """Whether the batch keeps zone tables (``zonesim run`` without ``--no-zones``)."""
        return bool(self.manifest.get("zones", True))

    def _done(self, table: str) -> set[int]:
        """Positions (in :attr:`runs`) of the runs whose ``table`` part reads intact."""
        done: set[int] = set()
        for rec in self._index:
            known = self._checked.get((table, rec["part"])) if rec.get(table) else False
            if known or (known is None and self._read(table, rec) is not None):
                done.update(self._order.get(k, -1) for k in rec["runs"])
        return done

    @property
    def scenarios(self) -> list[str]:
        """Scenario names in batch order."""
        return list(dict.fromkeys(self.runs["scenario"]))

    @property
    def design(self) -> dict[str, dict[str, float]]:
        """Swept parameter values of each sweep variant of the batch (name -> values)."""
        entries = self.manifest.get("scenarios", {})
        return {
            name: dict(entry["design"])
            for name, entry in entries.items()
            if isinstance(entry, dict) and entry.get("design")
        }

    @property
    def last_invocation(self) -> dict[str, Any]:
        """The manifest's record of the latest command run into the folder."""
        invocations = self.manifest.get("invocations") or [{}]
        return dict(invocations[-1])

    def summary(self) -> str:
        """The latest invocation's runs: ``"25 runs: 5 ran, 20 reused"`` (:func:`run_counts`)."""
        runs = self.last_invocation.get("runs", {})
        return f"{runs.get('total', len(self.runs))} runs: {run_counts(runs)}"

    def _with_design(self, df: pd.DataFrame) -> pd.DataFrame:
        """``df`` with one column per swept parameter after ``seed`` (NaN outside sweeps)."""
        design = self.design
        names = list(dict.fromkeys(k for point in design.values() for k in point))
        if not names:
            return df
        at = list(df.columns).index("seed") + 1
        for i, name in enumerate(names):
            values = {sc: point.get(name, np.nan) for sc, point in design.items()}
            df.insert(at + i, name, df["scenario"].map(values).astype("float64"))
        return df

    def _read(self, sub: str, rec: Mapping[str, Any]) -> bytes | None:
        """A part's bytes if they match the index's checksum; ``None`` otherwise."""
        sha = rec.get(sub)
        if not sha:
            return None
        key = (sub, rec["part"])
        if self._checked.get(key) is False:
            return None
        data = read_part(self.path / sub / rec["part"])
        ok = data is not None and _sha256(data) == sha
        self._checked[key] = ok
        return data if ok else None

    def _load(self, table_name: str) -> pd.DataFrame:
        frames: list[pd.DataFrame] = []
        orders: list[np.ndarray] = []
        seen: set[int] = set()
        for rec in self._index:
            if not any(self._order.get(k, -1) not in seen for k in rec["runs"]):
                continue
            data = self._read(table_name, rec)
            if data is None:
                continue
            table = pq.read_table(pa.BufferReader(data))
            keep = np.zeros(table.num_rows, dtype=bool)
            order = np.full(table.num_rows, -1, dtype=np.int64)
            for key, a, b in _keys_of(table):
                i = self._order.get(key)
                if i is None or i in seen:
                    continue
                seen.add(i)
                keep[a:b] = True
                order[a:b] = i
            if keep.any():
                frames.append(table.filter(pa.array(keep)).to_pandas())
                orders.append(order[keep])
        if not frames:
            return self._with_design(self._empty(table_name))
        df = pd.concat(frames, ignore_index=True)
        idx = np.argsort(np.concatenate(orders), kind="stable")
        df = df.iloc[idx].reset_index(drop=True)
        df["sample"] = df["sample"].astype("Int64")
        return self._with_design(df)

    def _empty(self, table_name: str) -> pd.DataFrame:
        cols = ["scenario", "replicate", "seed", "year"]
        if table_name == ANNUAL:
            from sim.core.run import METRICS

            cols += list(METRICS)
        df = pd.DataFrame({c: pd.Series(dtype="float64") for c in [*cols, "run_id"]})
        df.insert(len(cols), "sample", pd.Series(dtype="Int64"))
        return df


class CombinedResults:
    """Results of several batch folders read as one (:func:`load_results` with several).

    Tables are those of each batch one after the other, with a ``batch`` column (the
    folder) first. Batches may share runs (the same scenario and replicate, or sample): a
    run held by several is read from the first that holds it, and each batch adds the runs
    only it has (e.g. 4 replicates in one folder, the first 3 of them in another). Shared
    runs must be identical (the same run id); otherwise loading says what differs (seed,
    horizon, parameters).

    Attributes:
        parts: The batches' :class:`Results`, in the order given.
        paths: Their folders.
        manifest: ``{"batches": [each batch's manifest]}`` plus the shared ``model_version``.
    """

    def __init__(self, parts: Sequence[Results]) -> None:
        self.parts = list(parts)
        self.paths = [r.path for r in self.parts]
        versions = {r.manifest.get("model_version") for r in self.parts}
        if len(versions) > 1:
            detail = ", ".join(f"{r.path} {r.manifest.get('model_version')}" for r in self.parts)
            raise StoreError(
                f"expected batches of one model version to combine, got {detail}",
                advice="run the older batches again with this code (into a new {out_dir}) to "
                "compare them",
            )
        self._owner: dict[str, int] = {}  # scenario -> first batch holding it
        self._runs_of: list[set[tuple[str, str]]] = []  # (scenario, run id) read per batch
        held: dict[tuple[str, int, int], tuple[int, pd.Series]] = {}
        for i, res in enumerate(self.parts):
            mine: set[tuple[str, str]] = set()
            for _, row in res.runs.iterrows():
                ident = (str(row["scenario"]), int(row["replicate"]), _sample(row["sample"]))
                self._owner.setdefault(ident[0], i)
                if ident not in held:
                    held[ident] = (i, row)
                    mine.add((ident[0], str(row["run_id"])))
                    continue
                first, was = held[ident]
                if was["run_id"] != row["run_id"]:
                    raise StoreError(
                        f"{res.path}: scenario {ident[0]!r} replicate {ident[1]}: expected the "
                        f"run it has in {self.parts[first].path} (run id {was['run_id']}), got "
                        f"another ({self.parts[first].path} -> {res.path}: "
                        f"{run_difference(was, row)}); load the batches separately or rename "
                        "the scenario"
                    )
            self._runs_of.append(mine)
        self.manifest = {
            "model_version": versions.pop(),
            "batches": [r.manifest for r in self.parts],
        }

    def __repr__(self) -> str:
        return f"CombinedResults({[str(p) for p in self.paths]!r}, runs={len(self.runs)})"

    def _combine(self, get: Any) -> pd.DataFrame:
        frames = []
        for i, res in enumerate(self.parts):  # a run held by several batches: the first
            df = get(res)
            pairs = pd.MultiIndex.from_arrays([df["scenario"].astype(str), df["run_id"]])
            df = df[pairs.isin(list(self._runs_of[i]))].copy()
            df.insert(0, "batch", str(res.path))
            frames.append(df)
        out = pd.concat(frames, ignore_index=True)
        if "sample" in out:
            out["sample"] = out["sample"].astype("Int64")
        return out

    @functools.cached_property
    def runs(self) -> pd.DataFrame:
        """Every run of every batch, with ``batch``."""
        return self._combine(lambda r: r.runs)

    @functools.cached_property
    def annual(self) -> pd.DataFrame:
        """Annual metrics of every batch, with ``batch``."""
        return self._combine(lambda r: r.annual)

    @functools.cached_property
    def zones(self) -> pd.DataFrame:
        """Zone-years of every batch, with ``batch``."""
        return self._combine(lambda r: r.zones)

    @property
    def missing(self) -> pd.DataFrame:
        """Runs not finished (or corrupt) in any batch, with ``batch``."""
        return self._combine(lambda r: r.missing)

    @property
    def scenarios(self) -> list[str]:
        """Scenario names, batch by batch."""
        return list(self._owner)

    @property
    def design(self) -> dict[str, dict[str, float]]:
        """Swept parameter values of every sweep variant (name -> values)."""
        return {k: v for r in self.parts for k, v in r.design.items()}


def _sample(value: Any) -> int:
    return -1 if pd.isna(value) else int(value)


def _load_one(path: Path, allow_missing: bool) -> Results:
    if path.is_dir():
        check_no_links(path)
    manifest = read_manifest(path) if path.is_dir() else None
    if manifest is None or not (path / RUNS).is_file():
        raise MissingFileError(
            f"{path}: expected a batch folder with {MANIFEST} and {RUNS} (none found)"
        )
    res = Results(path, manifest, _read_runs(path))
    if len(res.missing):
        error = MissingRunsError(res)
        if not allow_missing:
            raise error
        warnings.warn(f"{error} (allow_missing=True: loading them)", stacklevel=3)
    return res


@overload
def load_results(path: str | Path, *, allow_missing: bool = ...) -> Results: ...
@overload
def load_results(
    path: str | Path | Sequence[str | Path], *more: str | Path, allow_missing: bool = ...
) -> Results | CombinedResults: ...
def load_results(
    path: str | Path | Sequence[str | Path], *more: str | Path, allow_missing: bool = False
) -> Results | CombinedResults:
    """Load one batch folder written by :func:`sim.experiments.batch.execute`, or several.

    Tables are read on first access (``.annual``, ``.zones``) and hold every run of
    the batch's run index, each once, in batch order (scenario, then replicate or
    sample), whatever the order the runs finished in. Loading compares the runs the
    index lists with the parts present (each checked against the sha256 in the part
    index): a run that is not stored (not finished, or its part is corrupt or was set
    aside) is an error naming the runs and the command that recomputes them, unless
    ``allow_missing`` is true, which loads the stored runs with a warning and lists the
    others in ``.missing``. Variants of a sweep carry their swept parameters as columns
    after ``seed`` (NaN for other scenarios).

    Several folders (``load_results("a", "b")`` or ``load_results(["a", "b"])``, e.g. a
    baseline run once and what-ifs run later) are read as one
    (:class:`CombinedResults`): tables gain a ``batch`` column; the batches must share a
    model version; a run stored in several (same scenario and replicate or sample) is read
    once, from the first, and must be identical there (same run id: loading names the seed,
    horizon or parameters that differ otherwise).

    Args:
        path: The batch folder, or a list of folders.
        *more: Further batch folders.
        allow_missing: Load a batch with runs that are not stored (with a warning).

    Returns:
        The results (:class:`Results` for one folder).

    Raises:
        FileNotFoundError: If a path is not a batch folder.
        MissingRunsError: If a batch lists runs that are not stored (and
            ``allow_missing`` is false).
        StoreError: If a manifest or run index is unreadable or of another format, or
            the batches cannot be combined.
    """
    given = [path] if isinstance(path, str | Path) else list(path)
    paths = [Path(p) for p in [*given, *more]]
    if not paths:
        raise MissingFileError("expected at least one batch folder, got none")
    parts = [_load_one(p, allow_missing) for p in paths]
    return parts[0] if len(parts) == 1 else CombinedResults(parts)


def merge_runs(stored: pd.DataFrame | None, new: pd.DataFrame) -> pd.DataFrame:
    """The union of two run indexes, grouped by scenario (first appearance first).

    Within a scenario, stored runs come first, then the new ones not yet stored.
    """
    if stored is None or stored.empty:
        return new.reset_index(drop=True)
    have = {_run_key(r) for r in _key_rows(stored)}
    fresh = [i for i, r in enumerate(_key_rows(new)) if _run_key(r) not in have]
    merged = pd.concat([stored, new.iloc[fresh]], ignore_index=True)
    rank = {s: i for i, s in enumerate(dict.fromkeys(merged["scenario"]))}
    order = np.argsort(merged["scenario"].map(rank).to_numpy(), kind="stable")
    return merged.iloc[order].reset_index(drop=True)


def run_keys(runs: pd.DataFrame) -> list[Key]:
    """The store keys of a run index's rows, in order."""
    return [_run_key(r) for r in _key_rows(runs)]


def _key_rows(df: pd.DataFrame) -> Iterable[tuple[Any, ...]]:
    return zip(df["scenario"], df["replicate"], df["sample"], df["run_id"], strict=True)


__all__ = [
    "FORMAT",
    "BatchStore",
    "CombinedResults",
    "MissingRunsError",
    "Repair",
    "Results",
    "StoreError",
    "check_compatible",
    "describe_runs",
    "load_results",
    "merge_runs",
    "read_manifest",
    "recompute_advice",
    "recompute_commands",
    "run_counts",
    "run_difference",
    "run_keys",
    "runs_table",
]
