# Two commands set everything up on a fresh machine (Python 3.11, pip, apt as root):
#   make book   creates .venv, installs servicekb, builds the handbook, prints where it is
#   make test   creates .venv, installs servicekb with its test tools (Chromium and Java included), runs every test
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
DEPS   := $(VENV)/.deps-installed

.PHONY: book test venv chromium java bench clean

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

# The Spark tests run PySpark in local mode, which needs Java 17 or newer: Debian's headless JRE is installed
# once when `java` is missing or older (root or sudo). Debian's slim images lack the man folder its set-up writes to.
java:
	@v=$$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1); \
	if [ -z "$$v" ] || [ "$$v" -lt 17 ]; then \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO mkdir -p /usr/share/man/man1; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless >/dev/null; \
	fi

test: $(DEPS) chromium java
	$(BIN)/python -m pytest

bench: $(DEPS)
	for f in bench/*.py; do case $$f in */synth.py|*/baseline.py) ;; *) $(BIN)/python $$f ;; esac; done

clean:
	rm -rf _build book/generated
