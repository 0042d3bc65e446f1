"""One output-folder policy for every command that writes a folder.

A command writes into an empty (or new) folder, or into a folder of its own kind; never
into another command's folder, and never over a file it did not write:

* ``zonesim run`` writes batch folders (:mod:`sim.experiments.store`, which knows its
  own entries by name and marks a folder with its ``manifest.json``);
* ``zonesim explore``, ``calibrate`` and ``sensitivity`` write analysis folders through
  :class:`OutputFolder`, which records the command and the files it wrote in
  ``zonesim-output.json`` (:data:`RECORD`);
* ``zonesim brief`` writes a page, its Markdown twin and the twin's figure folder, and
  records them in that folder (:func:`check_brief_targets`, :func:`record_brief`).

A folder holding other files is refused unless the caller allows it (``allow_foreign``,
the command line's ``--force-into-nonempty``); the command's files then go beside them,
and a file of the user's with a name the command writes is still refused. A file the
command recorded and no longer writes (a figure a new run does not draw) is removed;
nothing unrecorded ever is. Every check runs before any work.

A folder written by an earlier version (no record, but the command's own settings file)
is taken as the command's own, with the files of the command's names it holds.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sim.experiments.fileio import atomic_write_text
from sim.experiments.store.errors import StoreError
from sim.experiments.store.index import read_manifest
from sim.experiments.store.layout import MANIFEST, OWN_ENTRIES, SUBFOLDERS

#: The record of an analysis folder: the command and the files it wrote.
RECORD = "zonesim-output.json"
#: Format marker of :data:`RECORD`.
FORMAT = "zonesim-output/1"
#: The record of a brief, inside its figure folder.
BRIEF_RECORD = "zonesim-brief.json"


class OutputFolderError(StoreError):
    """A folder or file cannot take a command's output (message names it and what to do).

    The advice names the library's arguments as :class:`~sim.experiments.store.StoreError`
    does (``{out_dir}``, ``{allow_foreign}``, ``{overwrite}`` placeholders), which a front
    end spells its own way.
    """


def read_record(folder: Path, name: str = RECORD) -> dict[str, Any] | None:
    """A folder's output record, or ``None`` if it has none (or an unreadable one)."""
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return None
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        return None
    if not isinstance(record.get("files"), list) or not isinstance(record.get("command"), str):
        return None
    return record


def owner(folder: Path) -> str | None:
    """The command whose folder ``folder`` is (``"run"`` for a batch), or ``None``."""
    if (folder / MANIFEST).exists() or (folder / MANIFEST).is_symlink():
        try:
            if read_manifest(folder) is not None:
                return "run"
        except StoreError:
            return None
    record = read_record(folder)
    return None if record is None else record["command"]


def _entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


class OutputFolder:
    """A command's output folder, checked before any work and tidied after it.

    Attributes:
        path: The folder.
        command: The command (``"explore"``, ``"calibrate"``, ``"sensitivity"``).
        owned: Files (relative paths) the command wrote there before.
    """

    def __init__(
        self,
        path: str | Path,
        command: str,
        files: Iterable[str],
        *,
        folders: Sequence[str] = (),
        legacy: str | None = None,
        allow_foreign: bool = False,
    ) -> None:
        """Check that ``path`` may take the command's output; write nothing yet.

        Args:
            path: The folder.
            command: The command writing it.
            files: Every file (relative path) the command may write.
            folders: Subfolders the command keeps as a whole (its batch folders).
            legacy: The command's settings file, whose presence marks a folder of an
                earlier version as the command's own.
            allow_foreign: Accept a non-empty folder that is not the command's (its
                files are left untouched).

        Raises:
            OutputFolderError: If ``path`` is a file, another command's folder, a
                non-empty folder of other files (without ``allow_foreign``), or holds an
                entry of the command's names that the command did not write.
        """
        self.path = Path(path)
        self.command = command
        self.files = sorted(set(files))
        self.folders = tuple(folders)
        if self.path.exists() and not self.path.is_dir():
            raise OutputFolderError("expected a folder, got a file", file=self.path)
        found = owner(self.path) if self.path.is_dir() else None
        if found is not None and found != command:
            raise OutputFolderError(
                f"expected an empty folder or a `zonesim {command}` folder, got the folder of "
                f"`zonesim {found}`, which this command never writes into",
                file=self.path,
                advice="choose another {out_dir}",
            )
        record = read_record(self.path)
        if record is not None:
            self.owned = {str(f) for f in record["files"]}
        elif legacy is not None and (self.path / legacy).is_file():
            self.owned = {f for f in self.files if (self.path / f).is_file()}
        else:
            self.owned = set()
            entries = _entries(self.path)
            if entries and not allow_foreign:
                raise OutputFolderError(
                    f"expected an empty folder or a `zonesim {command}` folder; it holds "
                    f"{len(entries)} other entr{'y' if len(entries) == 1 else 'ies'} (e.g. "
                    f"{entries[0]!r})",
                    file=self.path,
                    advice="choose another {out_dir}, or pass {allow_foreign} to put the "
                    "output beside them (they are left untouched)",
                )
        self._check_clashes(own_folders=record is not None or bool(self.owned))

    def _check_clashes(self, *, own_folders: bool) -> None:
        for name in self.files:
            target = self.path / name
            parent = target.parent
            if parent != self.path and parent.is_symlink():
                raise OutputFolderError(
                    f"expected a folder of `zonesim {self.command}`, got a symbolic link",
                    file=parent,
                    advice="remove it or choose another {out_dir}",
                )
            if (target.exists() or target.is_symlink()) and name not in self.owned:
                raise OutputFolderError(
                    f"expected no file of this name or one `zonesim {self.command}` wrote, got "
                    "another file, which this command would replace",
                    file=target,
                    advice="move it or choose another {out_dir}",
                )
        for name in self.folders:
            sub = self.path / name
            if sub.is_symlink() or ((sub.exists() or sub.is_symlink()) and not own_folders):
                raise OutputFolderError(
                    f"expected no entry of this name or the folder `zonesim {self.command}` "
                    "keeps there, got another one",
                    file=sub,
                    advice="move it or choose another {out_dir}",
                )

    def _write_record(self, files: Iterable[str]) -> None:
        record = {
            "format": FORMAT,
            "command": self.command,
            "folders": list(self.folders),
            "files": sorted(set(files)),
        }
        atomic_write_text(self.path / RECORD, json.dumps(record, indent=1) + "\n")

    def claim(self) -> Path:
        """Create the folder and record the command's names in it (before writing them).

        Returns:
            The folder.
        """
        self.path.mkdir(parents=True, exist_ok=True)
        self._write_record(self.owned | set(self.files))
        return self.path

    def finish(self, written: Iterable[str | Path]) -> list[Path]:
        """Record the files written and remove the command's earlier files not written now.

        Args:
            written: The files written (paths inside the folder, or relative to it).

        Returns:
            The stale files removed.
        """
        now = {self._relative(p) for p in written}
        removed = []
        for name in sorted((self.owned | set(self.files)) - now):
            target = self.path / name
            if target.is_symlink() or target.is_file():
                target.unlink()
                removed.append(target)
        self._write_record(now)
        self.owned = now
        return removed

    def _relative(self, path: str | Path) -> str:
        try:
            return Path(path).relative_to(self.path).as_posix()
        except ValueError:
            return Path(path).as_posix()


# --------------------------------------------------------------------------- briefs


def _store_entry(path: Path) -> bool:
    """Whether ``path`` is an entry of a batch folder, or lies in one of its subfolders."""
    folder = path.parent
    if owner(folder) == "run" and path.name in OWN_ENTRIES:
        return True
    return folder.name in SUBFOLDERS and owner(folder.parent) == "run"


def check_brief_targets(
    page: Path,
    markdown: Path,
    fig_dir: Path,
    *,
    also: Sequence[Path] = (),
    overwrite: bool = False,
) -> set[str]:
    """Check that a brief may write its page, Markdown and figure folder.

    Args:
        page: The HTML file.
        markdown: The Markdown file (beside it).
        fig_dir: The Markdown's figure folder (beside it).
        also: Other files written beside the page (a PDF).
        overwrite: Replace files of these names that a brief did not write (never a
            batch's or another command's).

    Returns:
        The figure files a previous brief recorded there (removed if not written again).

    Raises:
        OutputFolderError: If a target is an entry of a batch folder or a file another
            command recorded, or (without ``overwrite``) a file a brief did not write.
    """
    record = read_record(fig_dir, BRIEF_RECORD)
    ours = set(record["files"]) if record is not None and record["command"] == "brief" else set()
    files = (page, markdown, *also)
    for target in (*files, fig_dir):
        if _store_entry(target):
            raise OutputFolderError(
                "expected a file name outside the batch's own entries, got one the batch needs",
                file=target,
                advice="write the brief elsewhere (e.g. brief.en.html beside them)",
            )
        other = read_record(target.parent)
        if other is not None and target.name in _top_names(other):
            raise OutputFolderError(
                f"expected a file name `zonesim brief` may write, got a file of `zonesim "
                f"{other['command']}`",
                file=target,
                advice="write the brief elsewhere",
            )
        if target.is_symlink() or (target.is_dir() != (target is fig_dir) and target.exists()):
            raise _not_ours(target)
    theirs = [t for t in files if t.exists() and t.name not in ours]
    if record is None and _entries(fig_dir):
        theirs.append(fig_dir)
    if theirs and not overwrite:
        raise _not_ours(theirs[0])
    return ours - {t.name for t in files}


def _top_names(record: dict[str, Any]) -> set[str]:
    return {Path(f).parts[0] for f in record["files"]} | set(record.get("folders") or [])


def _not_ours(target: Path) -> OutputFolderError:
    return OutputFolderError(
        "expected no file of this name or one `zonesim brief` wrote, got another one, which "
        "the brief would replace",
        file=target,
        advice="choose another file name for the brief, or pass {overwrite}",
    )


def record_brief(files: Iterable[Path], fig_dir: Path, figures: Iterable[str]) -> None:
    """Record a brief's files in its figure folder (see :func:`check_brief_targets`).

    Args:
        files: The files beside the figure folder (page, Markdown, PDF).
        fig_dir: The figure folder.
        figures: The figure files' names.
    """
    record = {
        "format": FORMAT,
        "command": "brief",
        "folders": [],
        "files": sorted({*(f.name for f in files), *figures}),
    }
    atomic_write_text(fig_dir / BRIEF_RECORD, json.dumps(record, indent=1) + "\n")


def remove_stale(fig_dir: Path, stale: Iterable[str]) -> None:
    """Remove figure files a brief recorded and did not write again."""
    for name in stale:
        target = fig_dir / name
        if Path(name).name == name and (target.is_file() or target.is_symlink()):
            os.unlink(target)


__all__ = [
    "RECORD",
    "OutputFolder",
    "OutputFolderError",
    "check_brief_targets",
    "owner",
    "read_record",
    "record_brief",
    "remove_stale",
]
