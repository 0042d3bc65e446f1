"""What a batch's manifest records: provenance, and each scenario text's version."""

from __future__ import annotations

import hashlib
from pathlib import Path

import sim
from sim.experiments.backends import SerialBackend
from sim.experiments.batch import execute
from sim.experiments.identity import code_identity, model_version
from sim.experiments.store import load_results


def test_manifest_records_provenance(tmp_path: Path, specs: list) -> None:
    extra = {"command": "zonesim run x", "scenarios": {"baseline": {"a": 1}}}
    out = execute(
        specs[:1], tmp_path / "b", backend=SerialBackend(), progress=False, manifest_extra=extra
    )
    m = load_results(out).manifest
    assert m["status"] == "complete" and m["started"] <= m["finished"]
    assert m["command"] == "zonesim run x"
    assert {"numpy", "pandas", "pyarrow", "mesa", "python"} <= set(m["packages"])
    assert set(m["git"]) == {"commit", "dirty"}
    sc = m["scenarios"]["baseline"]
    assert sc["a"] == 1 and sc["seeds"] == {"0": specs[0].seed}
    assert sc["params"]["exit_rule_on"] == 1.0
    assert m["model_version"] == model_version()
    assert m["identity"] == {k: v for k, v in code_identity().items() if k != "code"}


def test_a_files_version_key_is_its_text_unless_values_were_set(tmp_path: Path) -> None:
    path = tmp_path / "f.toml"
    path.write_text('name = "f"\ndescription = "q?"\n[run]\nend = 2016\n')
    kw = {"reps": 1, "workers": 1, "progress": False}
    res = sim.run_scenarios([path], out=tmp_path / "a", **kw)
    plain = hashlib.sha256(path.read_text().encode()).hexdigest()[:12]
    assert list(res.manifest["scenarios"]["f"]["versions"]) == [plain]
    res = sim.run_scenarios([path], out=tmp_path / "b", set={"exit_rule_on": False}, **kw)
    assert list(res.manifest["scenarios"]["f"]["versions"]) != [plain]
