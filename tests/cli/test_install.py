"""The package installed from its wheel, outside the repository, runs the shipped scenarios."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import sim

ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str | Path], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=300
    )


@pytest.mark.slow
def test_wheel_installs_and_runs_outside_the_repository(tmp_path: Path) -> None:
    # Build from a copy of the sources, so the build leaves nothing in the repository.
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    shutil.copytree(ROOT / "sim", src / "sim", ignore=shutil.ignore_patterns("__pycache__"))
    dist = tmp_path / "dist"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    build = _run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "--no-index", "-w", dist, src],
        tmp_path,
        dict(os.environ),
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = dist.glob("shanxi_zonesim-*.whl")

    # A fresh virtual environment with only the wheel installed; its dependencies come from
    # the test environment's site-packages through a path entry (which, unlike a site
    # folder, does not run that folder's .pth files, so an editable install stays out).
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", venv], check=True)
    python = venv / "bin" / "python"
    install = _run(
        [*pip, "--python", python, "install", "--no-deps", "--no-index", wheel],
        tmp_path,
        dict(os.environ),
    )
    assert install.returncode == 0, install.stderr
    site = Path(
        _run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
             tmp_path, {}).stdout.strip()
    )  # fmt: skip
    (site / "test_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    work = tmp_path / "work"
    work.mkdir()
    env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    where = _run([python, "-c", "import sim; print(sim.__file__)"], work, env)
    assert Path(where.stdout.strip()).is_relative_to(venv), where.stdout + where.stderr
    zonesim = venv / "bin" / "zonesim"

    version = _run([zonesim, "--version"], work, env)
    assert version.returncode == 0, version.stderr
    from sim.core.version import DATE
    from sim.experiments.identity import model_version

    # the installed package computes the model version of this source tree
    assert (
        version.stdout.strip() == f"zonesim {sim.__version__} (model {model_version()} of {DATE})"
    )

    listing = _run([zonesim, "list"], work, env)
    assert listing.returncode == 0, listing.stderr
    shipped = sorted(p.stem for p in (ROOT / "sim" / "scenarios").glob("*.toml"))
    for name in shipped:
        assert name in listing.stdout

    out = work / "out"
    run = _run(
        [zonesim, "run", "baseline", "--reps", "1", "--workers", "1", "--out", out, "--quiet"],
        work,
        env,
    )
    assert run.returncode == 0, run.stderr
    assert any(out.rglob("*.parquet"))
    uncertain = _run([zonesim, "validate", "baseline_uncertain"], work, env)
    assert uncertain.returncode == 0, uncertain.stderr

    # the Chinese font and its licence ship in the wheel, registered from there
    font = _run(
        [python, "-c", "from sim.analysis import cjkfont; print(cjkfont.register(), "
         "cjkfont.FONT_FILE.stat().st_size, cjkfont.LICENCE_FILE.is_file(), sep='|')"],
        work,
        env,
    )  # fmt: skip
    assert font.returncode == 0, font.stderr
    family, size, licence = font.stdout.strip().split("|")
    assert family == "Zonesim Sans SC" and int(size) > 1_000_000 and licence == "True"

    # the documents' page skeleton and style sheet ship in the wheel as package files
    page = _run(
        [python, "-c", "from sim.analysis.document import render_page; "
         "print(render_page('<p>x</p>', 'zh', 'T'))"],
        work,
        env,
    )  # fmt: skip
    assert page.returncode == 0, page.stderr
    assert '<html lang="zh-CN">' in page.stdout and "@page{size:A4" in page.stdout
