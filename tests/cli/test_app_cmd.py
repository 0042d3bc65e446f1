"""``zonesim app``: bad options and a taken port are one line (serving: tests/app)."""

from __future__ import annotations

import socket

import pytest

from sim.cli import main


def test_a_taken_port_is_one_line_and_status_2(capsys: pytest.CaptureFixture) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        port = sock.getsockname()[1]
        assert main(["app", "--port", str(port)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [
        f"zonesim app: error: --port {port}: already in use on 127.0.0.1; choose another "
        "port (--port 0 picks a free one)"
    ]


@pytest.mark.parametrize("args", [["--port", "70000"], ["--port", "-1"], ["--workers", "0"]])
def test_bad_options_are_one_line(args: list[str], capsys: pytest.CaptureFixture) -> None:
    assert main(["app", *args]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("zonesim app: error:")


def test_an_unknown_host_is_one_line(capsys: pytest.CaptureFixture) -> None:
    assert main(["app", "--host", "no-such-host.invalid", "--port", "0"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--host no-such-host.invalid" in err[0]


def test_without_the_app_extra_it_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    from sim.app import server

    monkeypatch.setattr(server, "NEEDS", ("solara", "no_such_module_for_the_test"))
    assert main(["app", "--port", "0"]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "zonesim app: error: the explorer needs no_such_module_for_the_test: install the app "
        "extra (pip install 'shanxi-zonesim[app]')"
    ]
