# Two commands set everything up on a fresh machine (Python 3.11, pip, apt as root):
#   make book   creates .venv, installs servicekb, builds the handbook, prints where it is
#   make test   creates .venv, installs servicekb with its test tools (Chromium included), runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.deps-installed

.PHONY: book test venv chromium bench clean

venv: $(DEPS)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstalled whenever pyproject.toml changes.
$(DEPS): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --editable '.[test]'
	touch $@

book: $(DEPS)
	$(BIN)/servicekb book

# Browser tests drive Debian's Chromium; installed once when missing (root or sudo).
chromium:
	@if ! command -v chromium >/dev/null 2>&1; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium chromium-driver fonts-noto-cjk >/dev/null; \
	fi

test: $(DEPS) chromium
	$(BIN)/python -m pytest

bench: $(DEPS)
	for f in bench/*.py; do case $$f in */synth.py|*/baseline.py) ;; *) $(BIN)/python $$f ;; esac; done

clean:
	rm -rf _build book/generated
