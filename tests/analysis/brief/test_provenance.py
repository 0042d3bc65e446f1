"""The brief says what it was made from: values set over the scenario files, the exploration."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.analysis import brief
from sim.cli import main
from sim.core.lang import LANGS

from .helpers import short_copy, title


@pytest.fixture(scope="module")
def set_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A batch run with `--set` over every scenario file (short horizon, few replicates)."""
    folder = tmp_path_factory.mktemp("set")
    files = [str(short_copy(folder, n)) for n in ("baseline", "all_sanheyi")]
    out = folder / "batch"
    argv = ["run", *files, "--workers", "1", "--quiet", "--out", str(out)]
    assert main([*argv, "--set", "exit_rule_on=0", "--set", "delegation_years=3"]) == 0
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_values_set_over_the_files_are_named_in_titles_and_text(set_batch: Path, lang: str) -> None:
    md = brief.build_brief([set_batch], lang=lang).markdown
    assert title("baseline", lang) not in md  # "The reform as implemented" is not what ran
    first = md.split("\n## ")[1]  # the key findings
    if lang == "en":
        assert "default assumptions (seed" not in md and "default assumptions:" not in md
        assert (
            "under the default assumptions except exit_rule_on = 0, delegation_years = 3 "
            "(set for this batch)" in first
        )
        assert "exit_rule_on = 0 (default 1), delegation_years = 3 (default 1.5)" in md
        assert "| Baseline (set: exit_rule_on = 0, delegation_years = 3) |" in md
    else:
        assert "在默认假设下" not in md and "以默认假设为前提" not in md
        assert "默认假设（但本批次另行设定" in first
        assert "（默认1），" in md and "（默认1.5）" in md
        assert "| 基准情景（设定：" in md
    # the what-if carries the same values as the baseline: its title names what it changes
    assert title("all_sanheyi", lang) in md


@pytest.mark.parametrize("lang", LANGS)
def test_a_batch_without_set_values_keeps_titles_and_defaults(batch: Path, lang: str) -> None:
    md = brief.build_brief([batch], lang=lang).markdown
    assert title("baseline", lang) in md
    assert ("the default assumptions (seed" if lang == "en" else "在默认假设下") in md
    assert "--set" not in md.split("\n## ")[0]


@pytest.mark.parametrize("lang", LANGS)
def test_the_exploration_behind_the_headline_is_named_beside_it(
    briefs: dict[str, brief.Brief], exploration: Path, lang: str
) -> None:
    md = briefs[lang].markdown
    first = md.split("\n## ")[1]
    paras = first.split("\n\n")
    start = "From the exploration in `" if lang == "en" else "依据 `"
    at = next(i for i, p in enumerate(paras) if p.lstrip("> ").startswith(start))
    assert paras[at - 1].startswith("**")  # right after the verdicts, before the detail
    assert first.index(paras[at]) < first.index("\n### ")
    source = paras[at]
    assert source.endswith("`zonesim explore all_corporate all_sanheyi all_quzheng --states 60`。"
                           if lang == "zh" else "--states 60`.")  # fmt: skip
    assert f"/{exploration.name}`" in source or f"`{exploration.name}`" in source
    if lang == "en":
        assert ": 60 states of the world × 2 seeds, master seed 0; command `" in source
    else:
        assert "：60个世界状态 × 每个状态2个随机种子，主随机种子0；命令 `" in source
