# Two entry points (see README "Quick start"): `make run` and `make test`.
# Both create .venv with Python >= 3.12 on first use and install the project into it.

PYTHON ?= $(shell for p in python3.13 python3.12 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { echo $$p; break; }; done)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup run example-brief test test-fast docs lint bench notebooks clean

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "error: Python >= 3.12 not found (install it, e.g. pyenv install 3.12)" >&2; exit 2; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	$(BIN)/python -c "import sim.core.firms.kernel as k; k.compile_all()"  # the firm kernel's disk cache
	@touch $(STAMP)

setup: $(STAMP)

# The main job: the baseline and the what-ifs, paired replicates (common random numbers), an
# exploration of the three management modes over the assumed parameters (MAIN_STATES states
# of the world with MAIN_SEEDS seeds each: about 100 states keep the headline intervals
# within +-10 points, and the brief says how wide they are), and the brief in English and
# Chinese (results/main/brief.en.html, .zh.html). Runs go into a folder
# per model version (results/main/<version>/): a results folder refuses runs of another
# model version, so after the model code changes the job starts a new folder, and
# re-running with the same code resumes (finished runs are skipped). results/main/latest is a
# symbolic link to the current version's folder.
MAIN_SCENARIOS := baseline no_reform all_corporate all_sanheyi all_quzheng slow_delegation \
	no_exit_rule land_to_2pct one_city_one_national
MAIN_REPS ?= 5
MAIN_STATES ?= 100
MAIN_SEEDS ?= 2
MAIN_OUT ?= results/main
MODES := all_corporate all_sanheyi all_quzheng
WORKERS ?= 2
MODEL_VERSION = $$($(BIN)/python -c 'from sim.experiments.runs import model_version; print(model_version())')
# The brief reports the project's calibration when there is one (named explicitly).
BRIEF_METHODS := $(if $(wildcard calibration/best_fit.toml),--calibration calibration)

run: $(STAMP)
	@v=$(MODEL_VERSION); dir=$(MAIN_OUT)/$$v; echo "model version $$v: runs in $$dir"; \
	mkdir -p $$dir && ln -sfn $$v $(MAIN_OUT)/latest && \
	$(BIN)/zonesim run $(MAIN_SCENARIOS:%=scenarios/%.toml) --reps $(MAIN_REPS) \
		--workers $(WORKERS) --out $$dir/batch && \
	$(BIN)/zonesim explore $(MODES) --states $(MAIN_STATES) --seeds-per-state $(MAIN_SEEDS) \
		--workers $(WORKERS) --out $$dir/explore && \
	for lang in en zh; do \
		$(BIN)/zonesim brief $$dir/batch --robustness $$dir/explore --lang $$lang \
			--out $(MAIN_OUT)/brief.$$lang.html $(BRIEF_METHODS) || exit $$?; \
	done

# The example brief under docs/ (linked from the README): a fixed small batch (three
# replicates) and the main job's exploration (MAIN_STATES states, MAIN_SEEDS seeds each), built
# in results/example/, and screenshots of the first screen of both languages at 1366x768
# (needs Chromium). Regenerate after changing the brief or the model.
EXAMPLE_OUT := results/example
EXAMPLE_SCENARIOS := baseline no_reform all_corporate all_sanheyi all_quzheng
EXAMPLE_DOC := docs/example-brief

example-brief: $(STAMP)
	rm -rf $(EXAMPLE_OUT) $(EXAMPLE_DOC)
	$(BIN)/zonesim run $(EXAMPLE_SCENARIOS:%=scenarios/%.toml) --reps 3 --seed 1 \
		--workers $(WORKERS) --out $(EXAMPLE_OUT)/batch --quiet
	$(BIN)/zonesim explore $(MODES) --states $(MAIN_STATES) --seeds-per-state $(MAIN_SEEDS) \
		--seed 1 --workers $(WORKERS) --out $(EXAMPLE_OUT)/explore --quiet
	for lang in en zh; do \
		$(BIN)/zonesim brief $(EXAMPLE_OUT)/batch --robustness $(EXAMPLE_OUT)/explore \
			--lang $$lang --out $(EXAMPLE_DOC)/brief.$$lang.html $(BRIEF_METHODS) \
			$$(test $$lang = en && echo --pdf) || exit $$?; \
	done
	for lang in en zh; do \
		$(BIN)/python scripts/screenshot_brief.py $(EXAMPLE_DOC)/brief.$$lang.html \
			docs/brief-first-screen.$$lang.png || exit $$?; \
	done

# The whole suite, as CI runs it: lint and format, the import layers (pyproject's
# [tool.importlinter]), the type checker (pyproject's [tool.mypy]), every test.
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-logo
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2

# The edit-test loop: lint and the unit tests (not the tests marked slow or e2e).
test-fast: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -n 2 -q -m "not slow and not e2e"

# The documentation site (mkdocs.yml) in site/, built offline; a warning is an error.
DOCS_STAMP := $(VENV)/.installed-docs
$(DOCS_STAMP): $(STAMP)
	$(BIN)/python -m pip install --quiet -e ".[test,docs]"
	@touch $(DOCS_STAMP)

docs: $(DOCS_STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet
	@echo "site/index.html"

# Execute every notebook and store it with its outputs (tests check they are up to date).
notebooks: $(STAMP)
	$(BIN)/python scripts/execute_notebooks.py

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_simulate.py

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache .import_linter_cache site
