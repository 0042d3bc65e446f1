"""The command line names its options where the library names its arguments."""

from __future__ import annotations

import pytest

from sim.analysis import sensitivity as sa
from sim.cli import main
from sim.cli.options import FLAGS, flag_message
from sim.experiments.errors import ArgumentError


def test_flag_message_puts_the_flag_in_place_of_the_argument() -> None:
    exc = ArgumentError("outputs", " 'x': expected metric@year")
    assert str(exc) == "outputs 'x': expected metric@year"
    assert flag_message(exc) == "--outputs 'x': expected metric@year"
    assert flag_message(ArgumentError("n", ": odd"), {"n": "-r"}) == "-r: odd"
    assert flag_message(ArgumentError("no_such_option", ": x")) == "no_such_option: x"


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: sa.parse_outputs("firms"), "outputs"),
        (lambda: sa.make_design("fast", sa.build_problem(), 8, seed=0), "method"),
        (lambda: sa.build_problem(["beta_services", "nope"]), "params"),
        (lambda: sa.run_sensitivity("morris", workers=0, out="unused"), "workers"),
    ],
)
def test_every_argument_the_library_names_has_a_flag(call, argument: str) -> None:
    with pytest.raises(ArgumentError) as info:
        call()
    assert info.value.argument == argument and argument in FLAGS
    assert not str(info.value).startswith("-")


def test_sensitivity_sample_size_is_r_for_morris_and_n_otherwise(
    tmp_path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = str(tmp_path / "o")
    assert main(["sensitivity", "--method", "pawn", "-N", "100", "--out", out]) == 2
    assert "zonesim sensitivity: error: -N: expected a power of two" in capsys.readouterr().err
    assert main(["sensitivity", "--method", "morris", "--levels", "3", "--out", out]) == 2
    assert "error: --levels: expected an even number" in capsys.readouterr().err
    assert not (tmp_path / "o").exists()
