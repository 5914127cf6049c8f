# Two commands on a fresh machine with only python3:  make demo  ·  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup demo test check bench clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

demo: setup
	$(BIN)/nianbao check params/ || true

check: setup
	$(BIN)/nianbao check params/

test: setup
	$(BIN)/python -m pytest

bench: setup
	$(BIN)/python bench/check_speed.py

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis
