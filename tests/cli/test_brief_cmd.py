"""``zonesim brief``: writes HTML and Markdown; bad input gives one line and status 2."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from sim.cli import main
from sim.experiments.scenarios import shipped_dir


def short_copy(folder: Path, name: str) -> Path:
    text = (shipped_dir() / f"{name}.toml").read_text(encoding="utf-8")
    text = re.sub(r"(?m)^end = \d+", "end = 2018", text)
    path = folder / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("brief_cmd")
    files = [str(short_copy(folder, n)) for n in ("baseline", "all_sanheyi")]
    out = folder / "batch"
    assert main(["run", *files, "--reps", "2", "--workers", "1", "--quiet", "--out", str(out)]) == 0
    return out


def files_in(folder: Path) -> set[str]:
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}


def test_default_output_beside_the_batch(batch: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brief", str(batch)]) == 0
    page, md = batch / "brief.en.html", batch / "brief.en.md"
    assert capsys.readouterr().out.splitlines() == [str(page), str(md)]
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    text = md.read_text(encoding="utf-8")
    assert "## What if: Every zone with a three-in-one committee" in text
    assert "### Headline effects against the baseline" in text
    assert (batch / "brief.en_files" / "all_sanheyi-fans.png").is_file()


def test_chinese_brief_to_markdown_path(batch: Path, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "brief.md"
    assert main(["brief", str(batch), "--lang", "zh", "--out", str(out)]) == 0
    assert "## 情景：全部开发区实行三合一管委会" in out.read_text(encoding="utf-8")
    assert '<html lang="zh-CN">' in out.with_suffix(".html").read_text(encoding="utf-8")


def test_method_outputs_are_reported(batch: Path, tmp_path: Path) -> None:
    cal = tmp_path / "cal"
    cal.mkdir()
    (cal / "validation.csv").write_text(
        "target,metric,value,tolerance,simulated,within,structural,fitted\n"
        "firms_2018,firms,43031,2000,44000,True,False,True\n"
        "zones_2018,zones_active,67,1,67,True,True,False\n"
        "gap_2018,growth_gap_pp,7.2,0.5,9,False,False,False\n"
    )
    (cal / "identifiability.csv").write_text(
        "parameter,verdict\nprojects_per_year,not identified\nentrant_size,weakly identified\n"
    )
    sens = tmp_path / "sensitivity-morris"
    sens.mkdir()
    pd.DataFrame(
        {
            "parameter": ["outside_utility", "beta_land"],
            "output": ["firms@2035", "firms@2035"],
            "index": ["mu_star", "mu_star"],
            "value": [5000.0, 10.0],
            "influential": [True, False],
        }
    ).to_parquet(sens / "convergence.parquet")
    (sens / "summary.json").write_text(json.dumps({"method": "morris"}))
    out = tmp_path / "b.html"
    args = ["brief", str(batch), "--out", str(out), "--calibration", str(cal)]
    assert main([*args, "--sensitivity", str(sens)]) == 0
    md = out.with_suffix(".md").read_text(encoding="utf-8")
    # an older validation.csv without kind or source: two-sided, source unknown
    assert "| firms_2018 | fitted | two-sided | – | 43,031 | 44,000 | 2,000 | yes |" in md
    assert "| zones_2018 | by construction | two-sided | – | 67 | 67 | 1 | yes |" in md
    assert "| gap_2018 | checked | two-sided | – | 7.200 | 9 | 0.500 | no |" in md
    first = md.split("\n## ")[1]  # the key findings
    assert "1 targets fitted, 1 checked without fitting, 1 hold by construction" in first
    assert (
        "Of the 2 calibrated parameters, 0 are identified by the targets, 1 weakly, 1 not" in first
    )
    assert "| firms@2035 | outside_utility (5e+03) |" in md
    assert "beta_land" not in md.split("### Main sensitivities")[1].split("###")[0]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--baseline", "nope"], "--baseline: expected a scenario of the batch"),
        (["--out", "{tmp}"], "expected a file name"),
        (["--calibration", "{tmp}"], "--calibration"),
        (["--sensitivity", "{tmp}"], "--sensitivity"),
    ],
)
def test_bad_input_one_line_status_2_nothing_written(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str], message: str
) -> None:
    before = files_in(batch)
    extra = [e.format(tmp=tmp_path) for e in extra]
    assert main(["brief", str(batch), *extra]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("zonesim brief: error: ") and message in err
    assert "Traceback" not in err
    assert files_in(batch) == before
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_and_bad_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["brief", str(tmp_path / "none")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "none: expected a batch folder" in err
    assert main(["brief", str(tmp_path), "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--lang" in err
    assert list(tmp_path.iterdir()) == []


def test_mixed_horizons_warn_on_run_and_compare_the_shared_years(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = short_copy(tmp_path, "baseline")
    base.write_text(
        re.sub(r"(?m)^end = \d+", "end = 2019", base.read_text(encoding="utf-8")),
        encoding="utf-8",
    )
    other = short_copy(tmp_path, "all_sanheyi")  # ends in 2018
    out = tmp_path / "batch"
    run = ["run", str(base), str(other), "--reps", "2", "--workers", "1", "--quiet"]
    assert main([*run, "--out", str(out)]) == 0
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1, err  # one line of warning, nothing else
    assert err.startswith("zonesim run: warning:") and "2016-2019" in err and "2016-2018" in err
    for lang, words in (("en", "compared over the years they share, 2016–2018"),
                        ("zh", "共同覆盖的年份（2016–2018年）")):  # fmt: skip
        md = tmp_path / f"brief.{lang}.md"
        assert main(["brief", str(out), "--lang", lang, "--out", str(md), "--quiet"]) == 0
        assert capsys.readouterr().err == ""  # no warning
        text = md.read_text(encoding="utf-8")
        assert words in text and "2019" not in text.split("\n## ")[0].replace("2016–2019", "")


def test_progress_names_each_phase_and_quiet_silences_it(
    batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "brief.en.html"
    assert main(["brief", str(batch), "--out", str(out)]) == 0
    lines = capsys.readouterr().err.splitlines()
    phases = [re.sub(r" \(\d+ s\)$", "", line.removeprefix("brief.en: ")) for line in lines]
    assert phases[:3] == ["read 1 batch folder", "headline effects", "key findings"]
    assert "what-if 1 of 1: all_sanheyi" in phases
    assert phases[-1] == f"writing {out} and its figures"
    assert all(re.search(r"^brief\.en: .* \(\d+ s\)$", line) for line in lines)
    assert main(["brief", str(batch), "--out", str(out), "--quiet", "--overwrite"]) == 0
    assert capsys.readouterr().err == ""
