# Thin wrapper around CMake. Targets:
#   make            release build: build/tollgate
#   make check      build and run every test (unit, e2e, conformance, lint)
#   make asan       the same test suite under ASan+UBSan (build-asan/)
#   make fuzz       build libFuzzer targets with clang and run each briefly
#   make fuzz-build only build them (CI keeps the targets compiling)
#   make demo       install missing Debian packages, build, run the main job
#   make bench      print the benchmark figures
#   make install    PREFIX=/usr/local by default
#   make docs       regenerate docs/tollgate.1 and the README usage section

PREFIX ?= /usr/local
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
BUILD ?= build
CMAKE ?= cmake
FUZZ_SECONDS ?= 20

.PHONY: all build check asan fuzz fuzz-build demo bench install docs deps clean

all: build

build:
	@$(CMAKE) -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_INSTALL_PREFIX=$(PREFIX) >/dev/null
	@$(CMAKE) --build $(BUILD) -j $(JOBS)

check: build
	cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

asan:
	@$(CMAKE) -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DTG_SANITIZE=ON >/dev/null
	@$(CMAKE) --build build-asan -j $(JOBS)
	cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
		ctest --output-on-failure -j $(JOBS)

fuzz-build:
	@$(CMAKE) -S . -B build-fuzz -DCMAKE_C_COMPILER=clang-14 -DCMAKE_BUILD_TYPE=Debug -DTG_FUZZ=ON >/dev/null
	@$(CMAKE) --build build-fuzz -j $(JOBS)

fuzz: fuzz-build
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash tests/fuzz/run.sh build-fuzz/fuzz

deps:
	@bash scripts/install-deps.sh

demo: deps build
	@bash scripts/demo.sh $(BUILD)

bench: deps build
	@bash bench/run.sh $(BUILD)

install: build
	$(CMAKE) --install $(BUILD) --prefix $(PREFIX)

docs: build
	$(BUILD)/tollgate help --man > docs/tollgate.1
	bash scripts/update-readme-usage.sh $(BUILD)/tollgate

clean:
	rm -rf $(BUILD) build-asan build-fuzz
