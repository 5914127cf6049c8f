# Two commands on a fresh machine with only python3:  make demo  ·  make test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# Debian's chromium draws the reports in the browser tests; fonts-noto-cjk lets it draw Chinese.
BROWSER_PACKAGES := chromium fonts-noto-cjk
# LibreOffice Calc, headless, opens the kit's workbooks in the tests as Excel and WPS would; a
# clerk's typing goes in through its own API (python3-uno, for Debian's python3); pdftoppm keeps
# pictures of the printed forms under tests/artifacts.
OFFICE_PACKAGES := libreoffice-calc-nogui libreoffice-writer-nogui python3-uno poppler-utils
# The PDF form is set in free fonts of the official shapes: Fandol (仿宋, 宋, 黑, 楷; shipped by
# texlive-lang-chinese, installed without TeX's recommends) and Noto CJK for what Fandol lacks.
FONT_PACKAGES := texlive-lang-chinese fonts-noto-cjk
FANDOL := /usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/FandolFang-Regular.otf
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: setup browser office fonts demo test check bench bench-province clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	$(BIN)/python -m helpers.kernel.kernels
	$(BIN)/python -m helpers.forms.nbpage
	touch $@

browser:
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "Noto Sans CJK"; then \
	  echo "installing $(BROWSER_PACKAGES) (Debian packages) for the browser tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(BROWSER_PACKAGES) >/dev/null; \
	fi

office:
	@if ! command -v soffice >/dev/null || ! command -v pdftoppm >/dev/null || ! /usr/bin/python3 -c "import uno" 2>/dev/null || ! dpkg -s libreoffice-writer-nogui >/dev/null 2>&1; then \
	  echo "installing $(OFFICE_PACKAGES) (Debian packages) for the office tests"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $(OFFICE_PACKAGES) >/dev/null; \
	fi

fonts:
	@if [ ! -f $(FANDOL) ] || ! fc-list 2>/dev/null | grep -qi "Noto Serif CJK"; then \
	  echo "installing $(FONT_PACKAGES) (Debian packages) for the PDF form"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $(FONT_PACKAGES) >/dev/null; \
	fi

demo: setup
	$(BIN)/nianbao build params/ --out build || true
	@echo
	@echo "open $(CURDIR)/build/index.html"

check: setup
	$(BIN)/nianbao check params/

test: setup browser office fonts
	$(BIN)/python -m pytest

bench: setup browser fonts
	$(BIN)/python bench/check_speed.py
	$(BIN)/python bench/build_speed.py
	$(BIN)/python bench/import_speed.py
	$(BIN)/python bench/forms_speed.py

# A province of 5,000 township-years on a Dask LocalCluster of 1 and 2 workers (about 25 minutes).
bench-province: setup
	$(BIN)/python bench/province_speed.py

clean:
	rm -rf $(VENV) build .pytest_cache .hypothesis tests/artifacts
