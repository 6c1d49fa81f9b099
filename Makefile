# planforge — `make build` builds every plan in plans/ into decks/; `make test` runs the whole suite.
# Both create the virtual environment and install what they need on a fresh machine.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
APT_PACKAGES := libreoffice-impress-nogui poppler-utils chromium fonts-liberation fonts-crosextra-carlito pandoc fonts-droid-fallback

.PHONY: build test sysdeps schema golden look bench fuzz clean messages

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)
	$(BIN)/planforge build

## System packages the end-to-end tests use (LibreOffice, Chromium, poppler); installed only when missing.
sysdeps:
	@missing=""; \
	command -v soffice >/dev/null || missing="$$missing libreoffice-impress-nogui"; \
	command -v pdftoppm >/dev/null || missing="$$missing poppler-utils"; \
	command -v chromium >/dev/null || missing="$$missing chromium"; \
	command -v pandoc >/dev/null || missing="$$missing pandoc"; \
	[ -f /usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf ] || missing="$$missing fonts-liberation"; \
	[ -f /usr/share/fonts/truetype/crosextra/Carlito-Regular.ttf ] || missing="$$missing fonts-crosextra-carlito"; \
	[ -f /usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf ] || missing="$$missing fonts-droid-fallback"; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

test: $(STAMP) sysdeps
	$(BIN)/python -m pytest -q -n auto --dist loadscope

schema: $(STAMP)
	$(BIN)/planforge schema

## Render every plan's deck and write a PNG of every slide into look/ (look/<plan>-<slide>.png) for a person to check.
## TEMPLATE=brand.pptx renders them on a company template (and prints what `planforge template check` finds).
TEMPLATE ?=
look: $(STAMP) sysdeps
	rm -rf look && mkdir -p look
	$(if $(TEMPLATE),$(BIN)/planforge template check "$(TEMPLATE)" | tee look/template-check.txt,)
	for plan in plans/*.yaml; do \
		$(BIN)/planforge render "$$plan" --format pptx -o "look/$$(basename "$$plan" .yaml).pptx" \
			$(if $(TEMPLATE),--deck-template "$(TEMPLATE)",) || exit 1; \
	done
	soffice -env:UserInstallation=file:///tmp/planforge-look-lo --headless --convert-to pdf --outdir look look/*.pptx >/dev/null
	for pdf in look/*.pdf; do pdftoppm -png -r 50 "$$pdf" "$${pdf%.pdf}"; done
	@echo "slides written to look/: $$(ls look/*.png | wc -l) PNGs"

## Time cold, no-op and 200-plan builds, `planforge --help` and pandoc as a reference; prints the figures.
bench: $(STAMP)
	$(BIN)/python bench/bench.py

## Fuzz loading, validate and the renderers with FUZZ_EXAMPLES new random mutants of the plans per test, user Jinja
## templates built from hostile pieces and damaged company .pptx templates (`make test`
## replays a few dozen fixed ones), and render the largest plan allowed. A failure prints the mutant; it is replayed
## first on the next run (.hypothesis/).
FUZZ_EXAMPLES ?= 1000
fuzz: $(STAMP)
	PLANFORGE_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) $(BIN)/python -m pytest -q -n auto --hypothesis-show-statistics \
		tests/test_fuzz.py tests/test_fuzz_templates.py tests/test_hostile.py::test_the_largest_plan_allowed_renders_every_format

## Rewrite the golden outputs in tests/golden/ after a deliberate change to the templates; review the diff.
golden: $(STAMP)
	$(BIN)/python tests/golden_documents.py

clean:
	rm -rf $(VENV) .pytest_cache build dist

## Re-extract the labels from the code and templates and merge them into every catalogue (then translate the new
## empty msgstr entries; tests/test_i18n.py fails while one is missing).
messages: $(STAMP)
	mkdir -p build
	$(BIN)/pybabel -q extract -F babel.cfg -k N_ -k ngettext:1,2 --no-location --omit-header --sort-output -o build/planforge.pot .
	$(BIN)/pybabel -q update -i build/planforge.pot -d src/planforge/i18n/locale -D planforge \
		--no-fuzzy-matching --ignore-obsolete --ignore-pot-creation-date -w 120
