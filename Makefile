# borderwatch: `make demo` and `make test` set up everything they need on a fresh machine.
VENV ?= .venv
PY := $(VENV)/bin/python
BW := $(VENV)/bin/borderwatch
STAMP := $(VENV)/.installed-stamp
DEMO_DB ?= out/demo.db

.PHONY: setup demo test lint clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,gazetteer,spark]'
	touch $(STAMP)

setup: $(STAMP)

demo: setup
	mkdir -p out
	$(BW) ingest examples/corpus examples/bad --db $(DEMO_DB)
	$(BW) export --db $(DEMO_DB) --format csv -o out/events.csv
	$(BW) export --db $(DEMO_DB) --format geojson -o out/events.geojson
	$(BW) export --db $(DEMO_DB) --format parquet -o out/events.parquet
	$(BW) export --db $(DEMO_DB) --format jsonl -o out/events.jsonl
	$(BW) export --db $(DEMO_DB) --format parquet --table incidents -o out/incidents.parquet
	$(BW) export --db $(DEMO_DB) --format csv --table items -o out/items.csv
	$(BW) analyze asymmetry KH LA --by year --commodity drugs --db $(DEMO_DB)
	$(BW) brief KH LA --by year --commodity drugs -o out/brief-KH-LA.html --db $(DEMO_DB)
	$(BW) brief KH LA --by year --commodity drugs --include-illustrative -o out/brief-KH-LA-with-illustrative.html --db $(DEMO_DB)
	$(BW) serve --db $(DEMO_DB) --host 127.0.0.1 --port 8000

test: setup
	bash scripts/test-setup.sh
	$(PY) -m pytest

lint: setup
	$(VENV)/bin/ruff check borderwatch tests
	$(VENV)/bin/mypy borderwatch

clean:
	rm -rf out quarantine .pytest_cache
