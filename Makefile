# Backstride: the two commands of the README, and their parts.
SWIFT ?= swift
SAMPLE ?= SampleData/synthetic/walk-run-walk.csv

.PHONY: demo test setup build bench clip-demo clean

# Installs what is missing, builds (release) and replays a sample run.
demo: setup
	$(SWIFT) build -c release --product gait
	.build/release/gait analyze $(SAMPLE)

# Installs what is missing, builds the tests once, runs the whole suite from that build.
test: setup
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

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
