# Cognate. Quick start: `make run` (start a server), `make test` (every test suite).
BUILD_DIR ?= build
DATA_DIR ?= ./data
LISTEN ?= 127.0.0.1:9330
JOBS ?= $(shell nproc)

.PHONY: all deps bench-deps build run test unit-test integration-test bench clean

all: build

deps:
	@scripts/deps.sh

bench-deps:
	@scripts/deps.sh --bench

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo

build: $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

run: deps build
	@scripts/run.sh $(BUILD_DIR)/cognate $(DATA_DIR) $(LISTEN)

test: deps build
	@scripts/test.sh $(BUILD_DIR)

unit-test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -L unit -j $(JOBS)

integration-test: build
	COGNATE_BIN=$(abspath $(BUILD_DIR))/cognate tests/integration/run.sh

# BENCH_ARGS: e.g. --quick (a smoke run of the suite), --no-peers, --suite-only.
bench: bench-deps build
	bench/run.sh $(BUILD_DIR)/cognate $(BENCH_ARGS)

clean:
	rm -rf $(BUILD_DIR)
