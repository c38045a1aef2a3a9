# prosody-doctor — build, demo, tests, conformance, benchmarks.
# Everything needed is installed by these targets on Debian (apt-get when run as root).

SWIFT      ?= swift
PREFIX     ?= /usr/local
CONFIG     ?= release
BUILD_DIR  := .build/$(CONFIG)
BIN        := $(BUILD_DIR)/prosody-doctor
SHARED     ?= $(abspath ../shared)
# Tests and conformance run on the release build so CI compiles the package once.
SWIFT_FLAGS := -c $(CONFIG) -Xswiftc -enable-testing
# The installed binary is fully static (Swift runtime, Foundation, libc): no dynamic loader,
# symbol lookups or relocations at start-up, so `check` on a small config starts in ~2 ms
# instead of ~5 ms. (glibc warns that getpwnam then needs the system's NSS libraries at run
# time; they are only used for home-directory lookups.) The test build stays dynamic: a
# static executable needs the static Swift modules, which --static-swift-stdlib selects.
PRODUCT_FLAGS := $(SWIFT_FLAGS) --static-swift-stdlib -Xswiftc -static-executable

BUILD_PACKAGES := libpcre2-dev zlib1g-dev pkg-config
CONFORMANCE_PACKAGES := prosody lua5.4 python3
# Headless Chromium renders the HTML report in the tests.
TEST_PACKAGES := chromium

export SHARED BIN

.PHONY: build-test-config all build demo test conformance bench install deps conformance-deps clean help man completions

all: build

help:
	@echo "make demo         build and run prosody-doctor on the bundled Jitsi sample"
	@echo "make test         unit, rule-example and golden tests"
	@echo "make conformance  parser vs luac5.4, model vs Prosody's own loader, prosodyctl parity"
	@echo "make bench        speed next to prosodyctl and grep on the same inputs"
	@echo "make install      install to \$$PREFIX/bin (PREFIX=$(PREFIX))"

# Installs missing system packages with apt-get when root, else says what to run.
define ensure_packages
	@missing=""; for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "installing:$$missing"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
		else \
			echo "missing system packages:$$missing"; \
			echo "run: sudo apt-get install -y$$missing"; exit 1; \
		fi; \
	fi
endef

deps:
	$(call ensure_packages,$(BUILD_PACKAGES))

conformance-deps: deps
	$(call ensure_packages,$(CONFORMANCE_PACKAGES))

build: deps
	$(SWIFT) build $(PRODUCT_FLAGS) --product prosody-doctor
	@# A binary as the linker wrote it starts ~0.5 ms slower than a byte-identical copy
	@# (more, costlier page faults on its page-cache pages); installed binaries are copies.
	@# Rewrite it once so that the build tree's binary starts like an installed one.
	@cp $(BIN) $(BIN).copy && mv -f $(BIN).copy $(BIN)

# The same binary, linked like the test build (no relinking between tests and conformance).
build-test-config: deps
	$(SWIFT) build $(SWIFT_FLAGS) --product prosody-doctor

demo: build
	@echo
	@echo "== prosody-doctor diagnose --root samples/jitsi-server-tree =="
	@$(BIN) diagnose --root samples/jitsi-server-tree --format text; \
	  status=$$?; echo "(exit status $$status: 1 means findings at or above --fail-on)"; \
	  [ $$status -le 1 ]

test: deps
	$(call ensure_packages,$(TEST_PACKAGES))
	$(SWIFT) build $(SWIFT_FLAGS) --build-tests
	$(SWIFT) test $(SWIFT_FLAGS) --skip-build
	@python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema
	python3 scripts/validate-sarif.py
	PROSODY_DOCTOR=$(BIN) sh scripts/html-check.sh

conformance: conformance-deps build-test-config
	bash scripts/parser-conformance.sh
	python3 scripts/model-conformance.py
	python3 scripts/prosodyctl-parity.py

bench: conformance-deps build
	bash scripts/bench.sh

install: build completions man
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
		$(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 755 $(BIN) $(DESTDIR)$(PREFIX)/bin/prosody-doctor
	install -m 644 .build/man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 .build/completions/prosody-doctor.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/prosody-doctor
	install -m 644 .build/completions/_prosody-doctor $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_prosody-doctor
	install -m 644 .build/completions/prosody-doctor.fish $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/prosody-doctor.fish

# Shell completions and man pages are generated from the CLI definition itself.
completions: build
	mkdir -p .build/completions
	$(BIN) --generate-completion-script bash > .build/completions/prosody-doctor.bash
	$(BIN) --generate-completion-script zsh > .build/completions/_prosody-doctor
	$(BIN) --generate-completion-script fish > .build/completions/prosody-doctor.fish

man: build
	$(SWIFT) package --allow-writing-to-package-directory generate-manual --multi-page
	mkdir -p .build/man
	cp .build/plugins/GenerateManual/outputs/prosody-doctor/*.1 .build/man/

clean:
	rm -rf .build
