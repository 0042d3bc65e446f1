# Two entry points (see README "Quick start"): `make run` and `make test`.
# Both create .venv with Python >= 3.12 on first use and install the project into it.

PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run test lint bench clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (install it, e.g. pyenv install 3.12)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	@touch $(STAMP)

setup: $(STAMP)

# The main job: the baseline and the what-ifs, paired replicates (common random numbers), on
# every local core, into results/main (re-running resumes: finished runs are skipped).
MAIN_SCENARIOS := baseline no_reform all_corporate all_sanheyi all_quzheng slow_delegation \
	no_exit_rule land_to_2pct one_city_one_national
MAIN_REPS ?= 10
MAIN_OUT ?= results/main
# The brief reports the project's calibration when there is one (named explicitly).
BRIEF_METHODS := $(if $(wildcard calibration/best_fit.toml),--calibration calibration)

run: $(STAMP)
	$(BIN)/zonesim run $(MAIN_SCENARIOS:%=scenarios/%.toml) --reps $(MAIN_REPS) --out $(MAIN_OUT)
	$(BIN)/zonesim brief $(MAIN_OUT) --lang en $(BRIEF_METHODS)
	$(BIN)/zonesim brief $(MAIN_OUT) --lang zh $(BRIEF_METHODS)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_simulate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
