# Two entry points do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
DB     ?= $(or $(ANALYTICS_DB),data/analytics.duckdb)
PORT   ?= 8501

.PHONY: run test venv test-deps browser db bench clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.test-installed: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

venv: $(VENV)/.installed

# Debian's Chromium, CJK and emoji fonts, poppler: playwright cannot download its own browser here.
browser:
	@if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/pdftoppm ] || ! fc-list | grep -q "Noto Sans CJK" \
		|| ! fc-list | grep -q "Noto Color Emoji"; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk fonts-noto-color-emoji poppler-utils >/dev/null; \
	fi

db: $(VENV)/.installed
	@if [ ! -f "$(DB)" ]; then ANALYTICS_DB="$(DB)" $(PY) -m analytics init-db --demo; fi

run: db browser
	ANALYTICS_DB="$(DB)" $(PY) -m streamlit run app.py --server.port $(PORT) --browser.gatherUsageStats false

# Two workers (this machine has two cores), a test module each at a time: module fixtures stay shared,
# each worker builds its own demo database and app server; the slowest tests are listed at the end.
TEST_WORKERS ?= 2
test: $(VENV)/.test-installed browser
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadfile --durations=20

bench: $(VENV)/.installed
	$(PY) -m analytics bench

clean:
	rm -rf $(VENV) data/analytics.duckdb test-artifacts
