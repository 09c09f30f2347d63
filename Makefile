# Backstride: the two commands of the README, and their parts.
SWIFT ?= swift
SAMPLE ?= SampleData/synthetic/walk-run-walk.csv

.PHONY: demo test test-fast test-release-parsers setup build bench clip-demo clean

# Installs what is missing, builds (release) and replays a sample run.
demo: setup
	$(SWIFT) build -c release --product gait
	.build/release/gait analyze $(SAMPLE)

# Installs what is missing, builds the tests once, runs the whole suite from that build; then the
# parsers' malformed-input and random-bytes tests again in the release build that ships.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	$(MAKE) test-release-parsers

# SessionIO, ClipProtocol and GaitDSP built as shipped (release, -O, checks kept) with their
# robustness tests: Tests/ReleaseParsers links the same files.
test-release-parsers:
	cd Tests/ReleaseParsers && $(SWIFT) build -c release --build-tests && $(SWIFT) test -c release --skip-build

# The same without the suites tagged `.slow` (virtual clips under umockdev, SIGKILL loops, chromium).
# swift-testing filters by test ID, not by tag, so the script turns the tags into a --skip pattern.
test-fast: setup
	$(SWIFT) build --build-tests
	pattern="$$(./scripts/slow-test-pattern.sh)" && $(SWIFT) test --skip-build --skip "$$pattern"

setup:
	./scripts/install-system-packages.sh

build: setup
	$(SWIFT) build -c release

# A virtual clip on USB (umockdev + the real libusb): sync its sessions, then analyse one.
CLIP_STORE ?= /tmp/backstride-sessions
clip-demo: build
	.build/release/virtual-clip run --sessions 3 --session-duration 300 -- .build/release/gait sync --store $(CLIP_STORE)
	.build/release/gait analyze $$(ls $(CLIP_STORE)/BSC-0001/*.bsession | head -n 1)

# Throughput and memory figures (1 h of 6-axis data at 1 kHz).
bench: build
	.build/release/gait bench

clean:
	rm -rf .build
