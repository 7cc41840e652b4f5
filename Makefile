# Atlas Desktop — the README's commands. Everything installs into .venv/ in the repo root.
#   make run      set up (idempotent) and open the app on the default library
#   make test     set up with test extras and run the whole suite offscreen
#   make install  only the idempotent set-up: .venv/bin/atlas-desktop exists afterwards
#   make bench    performance figures (JSON) on synthetic 10k/100k libraries
#   make package  the one-folder application in dist/atlas-desktop/ (PyInstaller)
#   make package-test   run the built application's self-test and check what it contains
#   make test-sync-long   the randomised sync fault and SIGKILL runs, at length
#   make test-hostile     the hostile-content and fault tests alone (they are in make test too)
#   make fresh-check   make install, the X11 self-test and make test in a new minimal Debian 12
#                      root (debootstrap; root only; packaging/fresh-check.sh)
#   make oxt      the LibreOffice Writer extension, dist/atlas-desktop-writer.oxt

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip --disable-pip-version-check -q
NPM    ?= npm
# citeproc-js (the citation engine, run on V8 through mini-racer) comes from the npm registry,
# pinned exactly in js/package-lock.json, into the git-ignored js/node_modules.
CITEPROC_JS := js/node_modules/citeproc/citeproc_commonjs.js
OXT := dist/atlas-desktop-writer.oxt

.PHONY: run install install-test test test-sync-long test-hostile bench lint clean system-deps \
	crash-test package package-test icons fresh-check oxt

run: install
	$(BIN)/atlas-desktop

# Byte-compiled once here, so start-up never compiles (also when PYTHONDONTWRITEBYTECODE is
# set, which would otherwise make every start compile every module: +0.2 s).
install: $(VENV)/.stamp-app $(CITEPROC_JS) $(OXT)
	@$(BIN)/python -m compileall -q atlas_desktop >/dev/null

# The LibreOffice Writer extension (install: unopkg add dist/atlas-desktop-writer.oxt).
$(OXT): $(wildcard integrations/libreoffice/*.* integrations/libreoffice/*/* integrations/libreoffice/*/*/* \
		integrations/libreoffice/python/pythonpath/*/*.py)
	@$(PYTHON) integrations/libreoffice/build.py $@ >/dev/null

oxt: $(OXT)

install-test: $(VENV)/.stamp-test $(CITEPROC_JS) $(OXT)
	@$(BIN)/python -m compileall -q atlas_desktop >/dev/null

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --upgrade "pip>=23.2"

# Re-run the install whenever pyproject.toml changes; otherwise nothing is done. The system's
# part comes after pip: what Qt needs from the system is read from the Qt pip installed.
$(VENV)/.stamp-app: pyproject.toml | $(VENV)/bin/python
	$(PIP) install -e .
	@sh packaging/system-deps.sh app
	@touch $@

$(VENV)/.stamp-test: pyproject.toml $(VENV)/.stamp-app
	$(PIP) install -e ".[test]"
	@sh packaging/system-deps.sh test
	@touch $@

# Re-fetched only when the pin changes. --ignore-scripts: nothing of the package runs here.
$(CITEPROC_JS): js/package.json js/package-lock.json
	@command -v $(NPM) >/dev/null 2>&1 || { \
	  echo "make: npm (Node.js 18 or later) is needed once, to fetch the citation engine" \
	       "citeproc-js from the npm registry. Install Node.js and run make again." >&2; exit 1; }
	cd js && $(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $@

test: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q

# Hostile content and faults (issue 19): one fixture per finding in tests/data/hostile/. The
# file-system faults (a filled tmpfs, chattr +i) need root, as CI and the development machine
# have; elsewhere those tests say so and skip.
test-hostile: install-test
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/hostile

# The sync fault runs at length: 200 random seeds and 40 SIGKILLs (a few minutes).
test-sync-long: install-test
	SYNC_CHAOS_SEEDS=200 SYNC_KILL_CYCLES=40 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest \
		-q tests/integration/test_sync_chaos.py

# The one-folder application: dist/atlas-desktop/atlas-desktop (see packaging/README.md).
package: $(VENV)/.stamp-package $(CITEPROC_JS)
	rm -rf dist/atlas-desktop build/pyinstaller
	@$(PYTHON) integrations/libreoffice/build.py $(OXT) >/dev/null
	$(BIN)/pyinstaller --noconfirm --clean --log-level WARN --distpath dist \
		--workpath build/pyinstaller packaging/atlas-desktop.spec
	@du -sh dist/atlas-desktop

$(VENV)/.stamp-package: pyproject.toml $(VENV)/.stamp-app
	$(PIP) install -e ".[package]"
	@touch $@

# The built application: its --self-test (offscreen, and on X11 under Xvfb when available),
# its libraries and its contents. Fails, rather than skips, when the build is missing or stale.
package-test: install-test
	ATLAS_DESKTOP_REQUIRE_BUILD=1 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q \
		-m packaging tests/packaging

# Render the application icon's PNG sizes from its SVG (commit the result).
icons: install
	QT_QPA_PLATFORM=offscreen $(BIN)/python packaging/render_icons.py

bench: install
	$(BIN)/python -m benchmarks

lint: install-test
	$(PIP) install -q "ruff>=0.6" "mypy>=1.11"
	$(BIN)/ruff check atlas_desktop tests benchmarks packaging packaging/atlas-desktop.spec \
		integrations docs/writer_screenshots.py
	$(BIN)/mypy

system-deps: $(VENV)/.stamp-app
	sh packaging/system-deps.sh test

# A new minimal Debian 12 root with only what the README asks a user to install, a clean clone
# of HEAD in it, and there: make install, the X11 self-test under Xvfb, make test. Root only.
fresh-check:
	bash packaging/fresh-check.sh

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache js/node_modules

# A long run of the crash-safety test (200 kills instead of 14).
crash-test: install-test
	ATLAS_CRASH_ROUNDS=200 QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q tests/integration/test_crash_safety.py
