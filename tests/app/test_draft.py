"""The draft: a shipped scenario, edited, validated as a scenario file is."""

from __future__ import annotations

from dataclasses import replace

import pytest

from sim.app import whatif
from sim.app.draft import Draft, draft
from sim.core.params import MODE_ASSIGNMENTS, REGISTRY
from sim.experiments.scenarios import (
    ScenarioError,
    load_scenario,
    shipped_dir,
    shipped_names,
)


@pytest.mark.parametrize("name", shipped_names())
def test_a_draft_of_a_shipped_scenario_is_that_scenario(name: str) -> None:
    d = draft(name)
    sc = load_scenario(shipped_dir() / f"{name}.toml")
    assert d.scenario().params == sc.params
    assert d.overrides() == {k: v for k, v in sc.params.items() if k in REGISTRY
                             and v != REGISTRY[k].default}  # fmt: skip
    assert d.changes() == [] and not d.modes_changed
    assert d.description("en") == sc.description
    assert d.name == ("whatif" if name == "baseline" else name)
    assert (d.doc().get("title"), d.doc().get("title_zh")) == (
        sc.title or None,
        sc.title_zh or None,
    )


def test_edits_are_validated_overrides(edited: Draft) -> None:
    assert edited.overrides() == {"integration_on": 0.0}
    assert edited.changes() == ["integration_on"] and edited.modes_changed
    sc = edited.scenario()
    assert sc.params["integration_on"] == 0.0
    assert sc.params[MODE_ASSIGNMENTS][-1]["zones"] == "city:Datong"
    assert "integration_on = 0" in edited.description("en")
    assert "大同" in edited.description("zh")
    far = edited.with_value("delegation_years", 99.0)
    assert far.values["delegation_years"] == REGISTRY["delegation_years"].upper


def test_invalid_drafts_name_the_key(edited: Draft) -> None:
    with pytest.raises(ScenarioError, match="name: expected letters"):
        replace(edited, name="has space").scenario()
    with pytest.raises(ScenarioError, match="name: expected a name other than 'baseline'"):
        whatif.specs(replace(edited, name="baseline"))
    late = replace(edited, modes=({"year": 2030.0, "mode": "corporate", "zones": "all"},))
    with pytest.raises(ScenarioError, match=r"modes\[0\]\.year"):
        late.scenario()
