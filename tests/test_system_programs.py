"""The programs the code and the tests start, and the guards of the tests that need them.

A fresh machine has what ``make setup`` installs (Python packages) and nothing else, and CI
installs nothing more (``.ci/run``). So every program started from outside the Python
environment is listed here with what runs it, the code works without it or says in one
line that it needs it, and a test that needs it carries ``requires_program`` (see
``tests/conftest.py``) and skips, with its reason, where it is missing.
"""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCANNED = ("sim", "tests", "scripts", "benchmarks")

#: Calls that start a program or look one up, as ``module.function``.
LAUNCHERS = frozenset(
    {f"subprocess.{f}" for f in ("run", "Popen", "call", "check_call", "check_output")}
    | {f"subprocess.{f}" for f in ("getoutput", "getstatusoutput")}
    | {f"os.{f}" for f in ("system", "popen", "posix_spawn", "posix_spawnp")}
    | {f"os.{f}" for f in ("execv", "execve", "execvp", "execvpe", "execl", "execlp")}
    | {f"os.{f}" for f in ("spawnv", "spawnve", "spawnvp", "spawnl", "spawnlp")}
    | {"shutil.which"}
)

#: Every place that starts or looks up a program, by file and the expression naming the
#: program, and what runs there: ``"python"`` for the environment's interpreter and its
#: scripts (which ``make setup`` installs), ``"guard"`` for the lookup of the guard
#: itself, otherwise a key of ``SYSTEM_PROGRAMS``.
LAUNCHES = {
    ("sim/analysis/brief/pdf.py", "name"): "chromium",  # over CHROMIUM_NAMES
    ("sim/analysis/brief/pdf.py", "command"): "chromium",
    ("sim/experiments/batch/provenance.py", "'git'"): "git",
    ("tests/analysis/brief/test_build.py", "sys.executable"): "python",
    ("tests/analysis/brief/test_build.py", "'chromedriver'"): "chromedriver",
    ("tests/app/conftest.py", "str(ZONESIM)"): "python",
    ("tests/app/test_browser.py", "'chromedriver'"): "chromedriver",
    ("scripts/screenshot_app.py", "str(ZONESIM)"): "python",
    ("scripts/screenshot_app.py", "'chromium'"): "chromium",
    ("scripts/screenshot_app.py", "'chromium-browser'"): "chromium",
    ("scripts/screenshot_app.py", "'chromedriver'"): "chromedriver",
    ("benchmarks/bench_app.py", "str(ZONESIM)"): "python",
    ("benchmarks/bench_app.py", "'chromium'"): "chromium",
    ("benchmarks/bench_app.py", "'chromium-browser'"): "chromium",
    ("benchmarks/bench_app.py", "'chromedriver'"): "chromedriver",
    ("tests/cli/conftest.py", "str(DASK)"): "python",
    ("tests/cli/test_cli_errors.py", "sys.executable"): "python",
    ("tests/cli/test_cli_run.py", "cmd"): "python",
    ("tests/cli/test_cli_signals.py", "argv"): "python",
    ("tests/cli/test_cli_signals.py", "*argv[:-2]"): "python",
    ("tests/cli/test_install.py", "[str(a) for a in args]"): "python",
    ("tests/cli/test_install.py", "sys.executable"): "python",
    ("tests/conftest.py", "n"): "guard",  # requires_program's own lookup
    ("tests/core/test_compiled.py", "sys.executable"): "python",
    ("tests/experiments/test_batch_execution.py", "sys.executable"): "python",
    ("tests/experiments/test_identity.py", "sys.executable"): "python",
    ("tests/test_import_layers.py", "str(LINT_IMPORTS)"): "python",
    ("tests/test_system_programs.py", "sys.executable"): "python",
    ("benchmarks/bench_batch_memory.py", "cmd"): "python",
    ("benchmarks/bench_batch_memory.py", "sys.executable"): "python",
    ("benchmarks/bench_cold_start.py", "args"): "python",  # the interpreter, zonesim
}

#: Names in a test that mean it runs a program the project does not install.
TRIGGERS = {
    "chromium": ("write_pdf", "write_screenshot", "find_chromium", '"--pdf"', "webdriver"),
    "chromedriver": ("webdriver", "chromedriver"),
}

#: Programs the code runs without: where they are missing it says so in its output
#: (``git``: the manifest's commit is ``null``), so tests need no guard for them.
OPTIONAL = frozenset({"git"})


def python_files() -> list[Path]:
    return [p for d in SCANNED for p in sorted((ROOT / d).rglob("*.py"))]


def launches() -> dict[tuple[str, str], int]:
    """``(file, expression naming the program) -> line`` of every launch found."""
    found: dict[tuple[str, str], int] = {}
    for path in python_files():
        where = path.relative_to(ROOT).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
        for call in calls:  # a launcher passed as a value would hide its program
            for value in [*call.args, *(k.value for k in call.keywords)]:
                assert ast.unparse(value) not in LAUNCHERS, f"{where}:{call.lineno}: call it"
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module in ("subprocess", "shutil", "os"):
                names = {f"{node.module}.{a.name}" for a in node.names} & LAUNCHERS
                assert not names, f"{where}:{node.lineno}: import the module, not {names}"
        for call in calls:
            if ast.unparse(call.func) not in LAUNCHERS:
                continue
            arg = call.args[0] if call.args else call.keywords[0].value
            if isinstance(arg, ast.List | ast.Tuple) and arg.elts:
                arg = arg.elts[0]
            found.setdefault((where, ast.unparse(arg)), call.lineno)
    return found


def test_every_program_started_is_listed(system_programs: dict) -> None:
    found = launches()
    new = {
        f"{f}:{line} runs {expr}" for (f, expr), line in found.items() if (f, expr) not in LAUNCHES
    }
    assert not new, (
        "programs started but not listed: add each to LAUNCHES with what it runs (and to "
        f"SYSTEM_PROGRAMS in tests/conftest.py if the project does not install it): {new}"
    )
    assert set(LAUNCHES) == set(found), f"listed but gone: {set(LAUNCHES) - set(found)}"
    assert set(LAUNCHES.values()) - {"python", "guard"} == set(system_programs)
    assert set(TRIGGERS) | OPTIONAL == set(system_programs)


def _marks(func: ast.FunctionDef) -> set[str]:
    """Programs named by a ``requires_program`` mark on ``func``."""
    out: set[str] = set()
    for dec in func.decorator_list:
        if isinstance(dec, ast.Call) and ast.unparse(dec.func).endswith("requires_program"):
            out.update(a.value for a in dec.args if isinstance(a, ast.Constant))
    return out


def _reach(func: ast.FunctionDef, defs: dict[str, ast.FunctionDef]) -> str:
    """The source of ``func`` and of the module's functions and fixtures it reaches."""
    seen, todo, parts = {func.name}, [func], []
    while todo:
        f = todo.pop()
        parts.append(ast.unparse(f))
        used = {n.id for n in ast.walk(f) if isinstance(n, ast.Name)}
        used |= {a.arg for a in f.args.args}
        for name in sorted(used & set(defs) - seen):
            seen.add(name)
            todo.append(defs[name])
    return "\n".join(parts)


def test_every_test_that_needs_a_program_is_guarded() -> None:
    """A test reaching a program the project does not install is marked, or hides it."""
    unguarded, guarded = [], 0
    for path in sorted((ROOT / "tests").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        defs = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
        for name, func in defs.items():
            if not name.startswith("test_"):
                continue
            text = _reach(func, defs)
            hidden = "monkeypatch" in text and re.search(r"\bwhich\b|PATH", text)
            for program, words in TRIGGERS.items():
                if any(w in text for w in words):
                    if program in _marks(func):
                        guarded += 1
                    elif not hidden:
                        unguarded.append(f"{path.relative_to(ROOT)}::{name} needs {program}")
    assert unguarded == [], "mark them @pytest.mark.requires_program(...)"
    assert guarded >= 3  # the PDF test and the browser test (two programs)


MARKED = """
import pytest

@pytest.mark.requires_program("chromium", "chromedriver")
def test_needs_a_browser():
    raise AssertionError("ran without a browser")

def test_plain():
    pass
"""


@pytest.mark.slow
def test_a_marked_test_skips_with_its_reason_where_the_program_is_missing(
    tmp_path: Path,
) -> None:
    (tmp_path / "conftest.py").write_text((ROOT / "tests" / "conftest.py").read_text())
    (tmp_path / "test_marked.py").write_text(MARKED)
    env = {**os.environ, "CI": "true", "PATH": str(Path(sys.executable).parent)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "-rs",
         str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:]
    assert re.search(r"(?m)^=+ 1 passed, 1 skipped", done.stdout), done.stdout[-3000:]
    assert "needs chromium (chromium or chromium-browser" in done.stdout
    assert "which the project does not install" in done.stdout


def test_code_runs_without_the_optional_programs(monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.experiments.batch.provenance import git_state

    monkeypatch.setenv("PATH", str(Path(sys.executable).parent))
    assert git_state() == {"commit": None, "dirty": None}


def test_ci_installs_nothing_beyond_the_project() -> None:
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    code = "\n".join(ln for ln in script.splitlines() if not ln.lstrip().startswith("#"))
    assert "make test" in code
    for word in ("apt-get", "apt ", "sudo", "pip ", "npm", "curl", "wget", "dpkg"):
        assert word not in code, word
