"""A sweep's variants in the brief: each titled by its swept values, in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sim.analysis import brief
from sim.cli import main
from sim.core.lang import LANGS

from .helpers import md_section, md_table, short_copy, title

VALUES = (1, 3)


@pytest.fixture(scope="module")
def sweep_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("sweep")
    files = [short_copy(folder, "baseline"), short_copy(folder, "slow_delegation")]
    files[1].write_text(
        files[1].read_text(encoding="utf-8").replace("delegation_years = 6.0\n", "")
        + f"\n[sweep]\ndelegation_years = {list(map(float, VALUES))}\n",
        encoding="utf-8",
    )
    out = folder / "batch"
    assert main(["run", *map(str, files), "--workers", "1", "--quiet", "--out", str(out)]) == 0
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_sweep_variants_are_titled_by_their_swept_values(sweep_batch: Path, lang: str) -> None:
    md = brief.build_brief([sweep_batch], lang=lang).markdown
    name = "下放全部权限清单所需的时间" if lang == "zh" else "delegation_years"
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    titles = [f"{title('slow_delegation', lang)}{left}{name} = {v}{right}" for v in VALUES]
    for t in titles:  # the section heading of each variant
        assert re.search(rf"(?m)^## .*{re.escape(t)}$", md), t
    findings = md_section(md, brief.heading("findings", lang))
    rows = md_table(md_section(md, brief.heading("tradeoffs", lang)))
    assert [r[0] for r in rows] == titles  # trade-off rows
    for t in titles:  # one key-finding bullet each
        assert findings.count(f"**{t}**") >= 1
    if lang == "zh":
        assert "delegation_years" not in md_section(md, brief.heading("tradeoffs", lang))
