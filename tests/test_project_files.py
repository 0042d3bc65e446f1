"""The files a cited project has agree with the package."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import sim

ROOT = Path(sim.__file__).resolve().parents[1]


def test_citation_gives_the_package_version() -> None:
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert re.search(rf'^version: "{re.escape(sim.__version__)}"$', text, flags=re.MULTILINE)
    assert re.search(r"^cff-version: 1\.2\.0$", text, flags=re.MULTILINE)


def test_licence_file_is_the_licence_pyproject_declares() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert declared["project"]["license"] == "MIT"
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_changelog_has_an_unreleased_section() -> None:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert "\n## Unreleased\n" in text


def test_notebooks_extra_installs_what_running_the_notebooks_needs() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extra = declared["project"]["optional-dependencies"]["notebooks"]
    names = {re.split(r"[<>=\[ ]", d)[0].lower() for d in extra}
    assert {"nbconvert", "nbclient", "ipykernel", "jupyterlab"} <= names


def test_every_script_the_documentation_names_exists() -> None:
    docs = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
    for doc in docs:
        for name in re.findall(r"\b((?:scripts|docs|benchmarks)/[\w/]+\.py)\b", doc.read_text()):
            assert (ROOT / name).is_file(), f"{doc.name} names {name}, which does not exist"


def test_main_job_points_latest_at_the_current_version_folder() -> None:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = text.split("\nrun: ", 1)[1].split("\n\n", 1)[0]
    # a relative link, made before the runs start, so it is right even if the job stops
    assert "dir=$(MAIN_OUT)/$$v" in recipe
    assert recipe.index("ln -sfn $$v $(MAIN_OUT)/latest") < recipe.index("zonesim run")


def test_main_job_shows_the_progress_of_its_long_phases() -> None:
    recipe = (ROOT / "Makefile").read_text(encoding="utf-8").split("\nrun: ", 1)[1]
    recipe = recipe.split("\n\n", 1)[0]
    for command in ("zonesim explore", "zonesim brief"):
        line = recipe.split(command, 1)[1].split("&&")[0].split("|| exit")[0]
        assert "--quiet" not in line, f"make run: {command} runs without progress"
