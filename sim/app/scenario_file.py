"""Saving a draft as a scenario file that ``zonesim validate`` and ``zonesim run`` accept.

:func:`save` writes the draft as a TOML scenario file, checked by
:func:`sim.experiments.scenarios.check_file` before it replaces anything, so the file
``zonesim validate`` and ``zonesim run`` read is the one the page ran;
:func:`reproduce_command` is the command that runs it as the page did.
"""

from __future__ import annotations

import os
from pathlib import Path

from sim.app.draft import BASELINE, Draft
from sim.app.text import text
from sim.experiments.fileio import atomic_write
from sim.experiments.scenarios import ScenarioError, check_file


def scenario_text(d: Draft, folder: str | Path = ".") -> str:
    """The draft as a TOML scenario file to be written into ``folder``.

    A posterior file is given relative to ``folder`` where it can be, as scenario files
    give it (relative paths are read from the scenario file's folder).
    """
    import tomli_w

    doc = d.doc()
    if "posterior" in doc["run"]:
        post = Path(doc["run"]["posterior"])
        try:
            doc["run"]["posterior"] = os.path.relpath(post, Path(folder).resolve())
        except ValueError:  # another drive (Windows)
            doc["run"]["posterior"] = str(post)
    return tomli_w.dumps(doc, multiline_strings=True)


def save(d: Draft, path: str | Path, *, overwrite: bool = False) -> Path:
    """Write the draft as a scenario file, checked before it replaces anything.

    Args:
        d: The draft.
        path: The file (``.toml``); its folder must exist.
        overwrite: Whether an existing file may be replaced.

    Returns:
        The file.

    Raises:
        ScenarioError: If the file would not pass ``zonesim validate`` (nothing written),
            or the path is not a ``.toml`` file.
        FileExistsError: If the file exists and ``overwrite`` is false.
        OSError: If the folder is missing or not writable.
    """
    path = Path(path)
    if path.suffix != ".toml":
        raise ScenarioError(path, "", "expected a file name ending in .toml")
    if path.exists() and not overwrite:
        raise FileExistsError(text("exists", "en", path=path))
    if path.is_dir():
        raise IsADirectoryError(f"{path}: expected a file, got a folder")
    d.scenario()  # the draft's own errors name its keys, before any file is touched
    content = scenario_text(d, path.parent)

    def write(tmp: Path) -> None:
        tmp.write_text(content, encoding="utf-8")
        _, errors = check_file(tmp)
        if errors:  # named after the target, not the temporary file
            err = errors[0]
            prefix = f"{err.path}: " + (f"{err.key}: " if err.key else "")
            raise ScenarioError(path, err.key or "", str(err).removeprefix(prefix))

    return atomic_write(path, write)


def reproduce_command(d: Draft, path: str | Path) -> str:
    """The command that runs a saved draft against the baseline as the page did."""
    return (
        f"zonesim run {BASELINE} {Path(path).as_posix()} --reps {d.seeds} --seed {d.seed} "
        f"--out results/{d.name}"
    )
