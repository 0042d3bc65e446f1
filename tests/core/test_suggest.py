"""Did-you-mean hints."""

from __future__ import annotations

from sim.core.suggest import closest, did_you_mean


def test_closest_ignores_case_and_returns_the_spelling_given() -> None:
    assert closest("BASELIN", ["no_reform", "baseline"]) == ["baseline"]


def test_nothing_close_gives_no_hint() -> None:
    assert did_you_mean("zzzz", ["baseline", "no_reform"]) == ""
    assert did_you_mean("baselin", ["baseline"]) == "; did you mean 'baseline'?"
