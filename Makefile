# aidsync — the two commands a newcomer needs:
#   make demo   build a sample workbook in a fresh folder and run one pass on it
#   make test   run the whole test suite
# Both create .venv with what they need on first use (Python 3.11+ and make are enough).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test lint check-all clean screenshots

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "aidsync needs Python 3.11 or newer (set PYTHON=python3.12 …)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

demo: $(STAMP)
	$(BIN)/aidsync demo

test: $(STAMP)
	$(BIN)/python -m pytest -n 2 -q

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

check-all: test lint

# The demo workbook as LibreOffice draws it, one PNG per printed page of each tab, in
# docs/screenshots/ (needs: apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk)
screenshots: $(STAMP)
	$(BIN)/python tools/screenshots.py --out docs/screenshots

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .hypothesis
