# Two commands do everything from a fresh clone:
#   make demo   set up, then crawl the bundled offline demo site into ./archive
#   make test   set up, then lint, type-check and run the test suite
PYTHON ?= python3
VENV := .venv
PYWB_VENV := .venv-pywb
BIN := $(VENV)/bin

.PHONY: setup demo test lint crawl clean

setup: $(VENV)/.installed $(PYWB_VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	# The pip bundled with the venv crashes on this dependency tree.
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

# pywb pins libraries that conflict with ours, so it (and wacz, for packaging) lives in its own venv.
$(PYWB_VENV)/.installed: Makefile
	$(PYTHON) -m venv $(PYWB_VENV)
	$(PYWB_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PYWB_VENV)/bin/python -m pip install --quiet 'pywb>=2.8,<3' 'wacz>=0.5,<0.7'
	touch $@

demo: setup
	$(BIN)/newsvault demo

lint: $(VENV)/.installed
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

test: setup lint
	$(BIN)/pytest

clean:
	rm -rf $(VENV) $(PYWB_VENV) .pytest_cache .mypy_cache .ruff_cache
