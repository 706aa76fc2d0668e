# The two set-up commands of the README: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: install demo test lint clean-demo

$(BIN)/infoops: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test,report]'
	touch $@

install: $(BIN)/infoops

## Start Neo4j, generate and load the sample campaign, detect, report, export (see out/).
demo: install
	$(BIN)/infoops demo --out out

## Lint, then the whole test suite against a real Neo4j (started by the tests if needed).
test: install lint
	@$(BIN)/pytest -q; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests"; exit 1; fi; exit $$rc

lint: install
	$(BIN)/ruff check toolkit tests benchmarks
