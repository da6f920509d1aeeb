# Two commands on a fresh machine: `make demo` and `make test`.
# Both create the virtual environment in .venv and install the project first.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
DEMO_HOME := $(CURDIR)/.demo-home

.PHONY: demo test lint fmt eval bench bench-large relevance reliability clean lock

# Installs come from requirements.lock: exact versions and hashes of every dependency,
# dev tools included, so every machine runs the same code. pyproject.toml keeps the
# ranges for people who `pip install` the package; `make lock` turns them into the lock.
# The project's bytecode is compiled at install, as pip does for an installed wheel: an
# editable install has none until a first run writes it, and none ever where
# PYTHONDONTWRITEBYTECODE is set, so every command compiled the project again (~45 ms).
# The editable install is a plain path entry (editable_mode=compat): setuptools' default
# for several flat packages is an import hook that every Python start in the venv loads
# through a .pth file (with pathlib and importlib.util), ~10 ms CPU of each command.
# The path entry is $(DEV_TREE), where statements/ links to the three folders as the
# wheel installs them (statements.scraper, statements.index, statements.search): the
# checkout's root is not on the path, so `import index` fails here as it does for users.
DEV_TREE := $(VENV)/dev
# The lock is a whole resolution (uv), so pip installs it as it is (--no-deps): left to
# resolve again, pip read justext's `lxml[html_clean]` as a request for the newest lxml
# and refused it as unpinned the day a new lxml came out.
$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --require-hashes --no-deps -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps --config-settings editable_mode=compat -e .
	rm -rf $(DEV_TREE) && mkdir -p $(DEV_TREE)/statements
	ln -s $(CURDIR)/scraper $(CURDIR)/index $(CURDIR)/search $(CURDIR)/__main__.py \
	  $(DEV_TREE)/statements/
	for pth in $$($(BIN)/python -c "import sysconfig; print(sysconfig.get_path('purelib'))")/__editable__.statements-*.pth; do \
	  echo "$(CURDIR)/$(DEV_TREE)" > "$$pth"; done
	$(BIN)/python -m compileall -q scraper index search
	touch $(STAMP)

# Regenerate the lock after changing a range in pyproject.toml. Versions already in the
# lock are kept where the ranges still allow them; `make lock LOCKFLAGS=--upgrade` moves
# every package to the newest release its range allows.
UV_VERSION := 0.13.9
LOCKFLAGS ?=
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(BIN)/uv pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command "make lock" $(LOCKFLAGS) -o requirements.lock

demo: $(STAMP)
	rm -rf $(DEMO_HOME)
	@echo "== extract: one page -> one clean, attributed record"
	$(BIN)/statements extract samples/globalsecurity-lavrov-2025-11-25.txt --format text | head -n 16
	@echo "== add: index the sample pages and records"
	$(BIN)/statements add --home $(DEMO_HOME) samples/
	@echo "== search: who said it, and when"
	NO_COLOR=1 $(BIN)/statements search --home $(DEMO_HOME) "nuclear weapons" --facet speaker --facet year --limit 5
	@echo "== search: only where Putin himself said it"
	NO_COLOR=1 $(BIN)/statements search --home $(DEMO_HOME) "безопасность" --said-by "Vladimir Putin" --limit 3
	@echo "== stats"
	$(BIN)/statements stats --home $(DEMO_HOME)

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/vulture

fmt: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

eval: $(STAMP)
	$(BIN)/python -m bench.eval

# Bytecode first: the timed CLI runs then start as on an installed copy, also where
# PYTHONDONTWRITEBYTECODE is set (there every run compiled the project again, ~40 ms).
# The scale benchmark (bench/run.py): each size built by `statements add` processes in
# batches of BENCH_BATCH (0: one add per size), beside SQLite FTS5. Data, indexes and
# finished batches are kept in BENCH_DIR, so an interrupted run resumes; a build made by
# other index code is redone. Extra options: BENCH_ARGS="--skip-build", "--repeat 5"...
# `make bench-large` is the 500,000-document size (hours; ~45 GB of disk in BENCH_DIR).
BENCH_SIZES ?= 2000,20000,100000
BENCH_LARGE_SIZES ?= 500000
BENCH_BATCH ?= 20000
BENCH_DIR ?= $(CURDIR)/.bench
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m compileall -q scraper index search
	$(BIN)/python -m bench.run --sizes $(BENCH_SIZES) --batch $(BENCH_BATCH) \
	  --keep $(BENCH_DIR) $(BENCH_ARGS)
	$(BIN)/python -m bench.trace

bench-large: $(STAMP)
	$(BIN)/python -m compileall -q scraper index search
	$(BIN)/python -m bench.run --sizes $(BENCH_LARGE_SIZES) --batch $(BENCH_BATCH) \
	  --keep $(BENCH_DIR) $(BENCH_ARGS)

# Ranking quality on ../shared/relevance beside the peer engines (a few minutes; not in
# `make test`): each collection indexed and searched through the CLI by its score.py.
relevance: $(STAMP)
	$(BIN)/python -m compileall -q scraper index search
	$(BIN)/python -m bench.relevance

# The reliability suite, larger than in `make test` (docs/reliability.md): 60 kill -9 runs,
# every remove kill point with every follow-up, 2,500-document kills with the lock check,
# readers against writers for 60 s, 300 fuzz examples each; then runs, failures, times.
RELIABILITY_XML := $(CURDIR)/.reliability.xml
RELIABILITY_TESTS := tests/test_crash.py tests/test_concurrency.py tests/test_damage.py \
  tests/test_big_batch.py tests/test_budget.py tests/test_fetch_limits.py \
  tests/test_untrusted.py tests/test_fuzz_extract.py tests/test_fuzz_cli.py tests/test_paths.py
reliability: $(STAMP)
	STATEMENTS_RELIABILITY=1 STATEMENTS_CRASH_RUNS=20 STATEMENTS_FUZZ_EXAMPLES=300 \
	  STATEMENTS_STRESS_SECONDS=60 $(BIN)/python -m pytest -p no:cacheprovider \
	  -o junit_logging=system-out --junitxml=$(RELIABILITY_XML) $(RELIABILITY_TESTS); \
	  status=$$?; $(BIN)/python tests/reliability_summary.py $(RELIABILITY_XML); \
	  rm -f $(RELIABILITY_XML); exit $$status

clean:
	rm -rf $(VENV) $(DEMO_HOME) build *.egg-info
