# Backstride: the two commands of the README, and their parts.
SWIFT ?= swift
SAMPLE ?= SampleData/synthetic/walk-run-walk.csv

.PHONY: demo test setup build bench clean

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
	$(SWIFT) build -c release --product gait

# Throughput and memory figures (1 h of 6-axis data at 1 kHz).
bench: build
	.build/release/gait bench

clean:
	rm -rf .build
