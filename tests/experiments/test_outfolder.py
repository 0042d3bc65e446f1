"""The output-folder policy's record: what a command owns, and what it may remove."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.experiments.outfolder import RECORD, OutputFolder, OutputFolderError, owner

FILES = ["report.md", "table.csv", "figures/a.png", "figures/b.png"]


def write(folder: Path, names: list[str]) -> list[Path]:
    out = []
    for name in names:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(name)
        out.append(path)
    return out


def test_stale_files_are_removed_only_when_recorded(tmp_path: Path) -> None:
    out = tmp_path / "o"
    folder = OutputFolder(out, "explore", FILES, folders=("runs",))
    folder.claim()
    folder.finish(write(out, FILES))
    assert owner(out) == "explore"
    (out / "notes.txt").write_text("mine")
    again = OutputFolder(out, "explore", FILES, folders=("runs",))
    again.claim()
    removed = again.finish(write(out, ["report.md", "table.csv", "figures/a.png"]))
    assert removed == [out / "figures" / "b.png"]  # recorded before, not written now
    assert (out / "notes.txt").read_text() == "mine"
    record = json.loads((out / RECORD).read_text())
    assert record["files"] == ["figures/a.png", "report.md", "table.csv"]


def test_a_folder_of_an_earlier_version_is_adopted_by_its_settings_file(tmp_path: Path) -> None:
    out = tmp_path / "o"
    write(out, ["settings.json", "report.md", "input.toml"])
    (out / "runs").mkdir()
    with pytest.raises(OutputFolderError, match="expected an empty folder"):
        OutputFolder(out, "explore", FILES, folders=("runs",))
    folder = OutputFolder(out, "explore", [*FILES, "settings.json"], folders=("runs",),
                          legacy="settings.json")  # fmt: skip
    assert folder.owned == {"report.md", "settings.json"}
    folder.claim()
    folder.finish([out / "report.md", out / "settings.json"])
    assert (out / "input.toml").read_text() == "input.toml"  # not one of the command's names


def test_a_users_entry_of_a_command_name_is_refused_even_when_forced(tmp_path: Path) -> None:
    out = tmp_path / "o"
    write(out, ["figures/a.png"])
    with pytest.raises(OutputFolderError, match=r"a.png: expected no file of this name"):
        OutputFolder(out, "explore", FILES, allow_foreign=True)
    (out / "figures" / "a.png").unlink()
    (out / "runs").mkdir()
    with pytest.raises(OutputFolderError, match=r"runs: expected no entry of this name"):
        OutputFolder(out, "explore", FILES, folders=("runs",), allow_foreign=True)


def test_another_commands_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "o"
    OutputFolder(out, "calibrate", FILES).claim()
    with pytest.raises(OutputFolderError, match="the folder of `zonesim calibrate`"):
        OutputFolder(out, "sensitivity", FILES, allow_foreign=True)
