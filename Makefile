# ruralstat — build, test, demo. Every target installs what it needs on a fresh Debian machine.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
SWIFT ?= swift
VENV := $(CURDIR)/.venv
PYTHON := $(VENV)/bin/python
export RURALSTAT_PYTHON := $(PYTHON)

.PHONY: demo-national all deps system-deps python-deps office-deps build test demo fuzz bench bench-outliers clean install test-unit structure-check unit-check crashtest loadtest intaketest mailtest \
  deb-deps deb deb-check warnings-check samba-deps sharetest

all: build

## System libraries: libxlsxwriter writes every XLSX, libzip opens the submissions, libcurl sends mail.
system-deps:
	@if ! pkg-config --exists xlsxwriter libzip libcurl 2>/dev/null || ! command -v faketime > /dev/null 2>&1; then \
	  echo "Installing libxlsxwriter-dev, libzip-dev, libcurl4-openssl-dev and faketime (the tests move one process's clock)…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libxlsxwriter-dev libzip-dev libcurl4-openssl-dev pkg-config faketime; \
	fi

## openpyxl in a private virtual environment: tests fill forms and read reports with it.
## LibreOffice Calc (headless): tests re-save forms with it and open every generated workbook.
# LibreOffice Calc converts reports in the tests; its Python bridge (python3-uno, for the
# system Python) lets a test ask LibreOffice whether a form's validation refuses a value.
office-deps:
	@if ! command -v soffice > /dev/null 2>&1 || ! /usr/bin/python3 -c 'import uno' 2>/dev/null; then \
	  echo "Installing LibreOffice Calc (headless) and its Python bridge…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui python3-uno > /dev/null; \
	fi

## openpyxl reads and fills workbooks; aiosmtpd is the real SMTP server the mail tests send to
## on 127.0.0.1; cryptography makes their self-signed certificate.
python-deps:
	@if ! $(PYTHON) -c 'import openpyxl, aiosmtpd, cryptography' 2>/dev/null; then \
	  echo "Preparing $(VENV) with openpyxl, aiosmtpd and cryptography…"; \
	  test -x $(PYTHON) || python3 -m venv $(VENV) 2>/dev/null || { \
	    DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq python3-venv && python3 -m venv $(VENV); }; \
	  $(PYTHON) -m pip install --quiet --disable-pip-version-check openpyxl aiosmtpd cryptography smbprotocol; \
	fi

deps: system-deps python-deps office-deps

build: system-deps
	$(SWIFT) build

## Every test; the end-to-end suite runs the binaries just built (the release one where
## time and memory are measured).
test: deps build
	$(SWIFT) build -c release --product ruralstat
	$(SWIFT) test

## The unit tests alone (every test target but the end-to-end suite): under a minute on a built
## tree, no binary, LibreOffice or SMTP server needed beyond openpyxl.
test-unit: system-deps python-deps
	$(SWIFT) test --skip EndToEndTests

## The rooms stay rooms: imports declared and only inward (Sources/LAYERS), the daemon and the
## demo imported only where allowed, files at most 400 lines, functions at most 80, a test
## target per library target (scripts/check-structure.py says each rule); its own tests first.
structure-check:
	python3 scripts/test_check_structure.py
	python3 scripts/check-structure.py

## The daemon on the demo province (Hải Phòng since 1 July 2025) under ./var/demo, with sample submissions arriving.
## The release build: the demo stores some 700 earlier submissions of 141 units (the communes and
## the old districts before them) when it first starts, which takes a debug build minutes.
demo: system-deps
	$(SWIFT) build -c release --product ruralstat
	.build/release/ruralstat demo var/demo

## The ministry's site (init --national) under ./var/demo-national: the provinces' quarters since
## 2024-Q1 (the 63 former provinces until 2025-Q2), then the last finished quarter's province
## files arriving while the daemon runs (one with a total that does not match its rows, one
## province sending a second version).
demo-national: system-deps
	$(SWIFT) build -c release --product ruralstat
	.build/release/ruralstat demo var/demo-national --national

## Benchmarks against peers, measured in the same run; writes BENCHMARKS.md.
BENCH := $(CURDIR)/.build/bench
BENCH_PYTHON := $(BENCH)/venv/bin/python
BENCH_ROWS ?= 200000
BENCH_RUNS ?= 5
bench: system-deps
	@if ! dpkg -s libexpat1-dev time > /dev/null 2>&1; then \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq libexpat1-dev time; fi
	@mkdir -p $(BENCH)
	@if ! $(BENCH_PYTHON) -c 'import fastexcel, python_calamine, openpyxl, xlsxwriter, pyarrow' 2>/dev/null; then \
	  echo "Preparing the peers in $(BENCH)/venv…"; python3 -m venv $(BENCH)/venv && \
	  $(BENCH_PYTHON) -m pip install --quiet --disable-pip-version-check fastexcel python-calamine openpyxl xlsxwriter pyarrow; fi
	$(SWIFT) build -c release --product ruralstat-bench
	cc -O2 -o $(BENCH)/read-scan bench/c/read_scan.c -lzip
	cc -O2 -o $(BENCH)/read-expat bench/c/read_expat.c -lzip -lexpat
	$(BENCH_PYTHON) bench/run.py --bench-bin .build/release/ruralstat-bench --c-dir $(BENCH) \
	  --python $(BENCH_PYTHON) --work $(BENCH) --rows $(BENCH_ROWS) --runs $(BENCH_RUNS) --out BENCHMARKS.md
	cc -O2 -o $(BENCH)/write-detail bench/c/write_detail.c -lxlsxwriter
	$(BENCH_PYTHON) bench/run_write.py --bench-bin .build/release/ruralstat-bench --c-bin $(BENCH)/write-detail \
	  --share $(CURDIR) --work $(BENCH) --rows $(BENCH_ROWS) --runs $(BENCH_RUNS) --out BENCHMARKS.md
	$(SWIFT) build -c release --product ruralstat
	$(BENCH_PYTHON) bench/run_daemon.py --binary .build/release/ruralstat --bench .build/release/ruralstat-bench \
	  --share $(CURDIR) --out BENCHMARKS.md
	$(BENCH_PYTHON) bench/run_scale.py --binary .build/release/ruralstat --bench .build/release/ruralstat-bench \
	  --share $(CURDIR) --out BENCHMARKS.md
	$(BENCH_PYTHON) bench/run_national.py --binary .build/release/ruralstat --bench .build/release/ruralstat-bench --out BENCHMARKS.md
	$(MAKE) bench-outliers

## The outlier checks (issues 17, 25) on a generated province: recall per kind of error put into one
## value (×10…×10⁶, ÷10, ÷1000, a column shifted a row, two digits swapped) and the false-alarm
## rate on clean values; writes the "outliers" section of BENCHMARKS.md. Python's standard
## library only; the bench and its five variants run in about a minute.
bench-outliers: system-deps
	$(SWIFT) build -c release --product ruralstat-bench
	python3 bench/run_outliers.py --bench-bin .build/release/ruralstat-bench --schema templates/quarterly-v1.yaml --out BENCHMARKS.md

## The reader fuzzer (libFuzzer + AddressSanitizer) for FUZZ_SECONDS; a crash is copied to
## Tests/Fixtures/fuzz-crashes/ to be committed, and the target fails.
FUZZ_SECONDS ?= 300
fuzz: system-deps
	@Fuzz/build.sh 2>&1 | grep -v 'ld.gold' || true
	@test -x .build/fuzz/reader-fuzz
	@mkdir -p .build/fuzz/corpus .build/fuzz/crashes
	@echo "Fuzzing the reader for $(FUZZ_SECONDS) s…"
	@.build/fuzz/reader-fuzz .build/fuzz/corpus Tests/Fixtures/reader -max_total_time=$(FUZZ_SECONDS) \
	  -max_len=65536 -timeout=5 -rss_limit_mb=1024 -artifact_prefix=.build/fuzz/crashes/ > .build/fuzz/last.log 2>&1; \
	  status=$$?; grep -E '^Done|ERROR|SUMMARY' .build/fuzz/last.log || true; \
	  if ls .build/fuzz/crashes/* > /dev/null 2>&1; then \
	    cp .build/fuzz/crashes/* Tests/Fixtures/fuzz-crashes/; \
	    echo "The fuzzer found an input that breaks the reader: copied to Tests/Fixtures/fuzz-crashes/"; exit 1; fi; \
	  exit $$status

## The crash test: the daemon SIGKILLed CRASH_KILLS times at random moments while files
## arrive; nothing may be lost or counted twice (stress/crashtest.py says what is checked).
CRASH_KILLS ?= 200
CRASH_FILES ?= 400
crashtest: python-deps
	$(SWIFT) build -c release --product ruralstat
	$(SWIFT) build -c release --product ruralstat-bench
	$(PYTHON) stress/crashtest.py --kills $(CRASH_KILLS) --files $(CRASH_FILES)

## The load test: LOAD_FILES submissions (and about a ninth more as copies) dropped at once,
## an inotify overflow forced, everything accounted for, peak RSS under LOAD_MAX_RSS_MB.
LOAD_FILES ?= 1800
LOAD_MAX_RSS_MB ?= 150
loadtest: python-deps
	$(SWIFT) build -c release --product ruralstat
	$(SWIFT) build -c release --product ruralstat-bench
	$(PYTHON) stress/loadtest.py --files $(LOAD_FILES) --max-rss-mb $(LOAD_MAX_RSS_MB)

## The intake test (issue 12): names, second processes, unwritable folders, paused uploads,
## unit folders, text no workbook may hold, admin mistakes; after each case every file must be
## archived or rejected once, answered once, recorded with its hash, every workbook readable
## (stress/intaketest.py says what is checked). Runs as root: the permission cases run the
## daemon as nobody. INTAKE_ARGS= gives the short version CI runs.
INTAKE_ARGS ?= --long
intaketest: python-deps
	$(SWIFT) build -c release --product ruralstat
	$(SWIFT) build -c release --product ruralstat-bench
	$(SUDO) $(PYTHON) stress/intaketest.py $(INTAKE_ARGS)

## The mail test (issue 16): `ruralstat mail send` against a real SMTP server (aiosmtpd) on
## 127.0.0.1, the outbox filled by the daemon: the server down, SIGKILLs after k messages have
## arrived (nothing lost, a duplicate only with its Message-ID, sent/ exactly the originals),
## refusals for good and for later, a refused sender and login, STARTTLS with AUTH, two senders
## at once (stress/mailtest.py says what is checked). MAIL_ARGS=--short gives the version CI runs.
MAIL_ARGS ?=
mailtest: python-deps
	$(SWIFT) build -c release --product ruralstat
	$(PYTHON) stress/mailtest.py $(MAIL_ARGS)

## Samba for the share test: smbd serves the test's share on 127.0.0.1, smbclient is what the
## README's Samba section tries it with.
samba-deps:
	@if ! command -v smbd > /dev/null 2>&1 || ! command -v smbclient > /dev/null 2>&1; then \
	  echo "Installing samba and smbclient…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends samba smbclient > /dev/null; \
	fi

## The share test (issue 23): a real smbd on 127.0.0.1 with the sections `ruralstat samba-conf`
## prints, Windows-like clients (smbprotocol), the real daemon: uploads answered in the unit's
## own [phan-hoi] only, another unit refused everywhere, paused and cut uploads, a workbook open
## in Excel, a burst from five units, names Windows writes (stress/sharetest.py says what is
## checked). Runs as root: it creates the units' system accounts.
sharetest: python-deps samba-deps
	$(SWIFT) build -c release --product ruralstat
	$(SUDO) $(PYTHON) stress/sharetest.py $(SHARE_ARGS)

clean:
	rm -rf .build var dist

## Install for systemd (run as root; DESTDIR and PREFIX as usual): the binary, built with the
## Swift runtime inside it so the server needs no toolchain; the schema and report
## definitions; the units (the daemon's; the backup's and the mail's, shipped disabled) and
## their sysusers.d/tmpfiles.d companions; and, when there is none yet,
## /etc/ruralstat/ruralstat.yaml (an existing one is never overwritten). Then:
##   systemd-sysusers && systemd-tmpfiles --create && systemctl daemon-reload
##   systemctl enable --now ruralstat
PREFIX ?= /usr/local
DESTDIR ?=
INSTALL_BUILD := $(CURDIR)/.build-install
UNITS := ruralstat.service ruralstat-backup.service ruralstat-backup.timer \
  ruralstat-mail.service ruralstat-mail.path ruralstat-mail.timer
install: system-deps
	$(SWIFT) build -c release --product ruralstat --static-swift-stdlib --scratch-path $(INSTALL_BUILD)
	install -Dm755 $(INSTALL_BUILD)/release/ruralstat $(DESTDIR)$(PREFIX)/bin/ruralstat
	install -d $(DESTDIR)$(PREFIX)/share/ruralstat/templates $(DESTDIR)$(PREFIX)/share/ruralstat/reports
	install -m644 templates/*.yaml templates/README.md $(DESTDIR)$(PREFIX)/share/ruralstat/templates/
	install -m644 reports/*.yaml reports/README.md $(DESTDIR)$(PREFIX)/share/ruralstat/reports/
	install -Dm644 README.md $(DESTDIR)$(PREFIX)/share/doc/ruralstat/README.md
	install -d $(DESTDIR)$(PREFIX)/lib/systemd/system $(DESTDIR)$(PREFIX)/lib/sysusers.d $(DESTDIR)$(PREFIX)/lib/tmpfiles.d
	for unit in $(UNITS); do sed 's|/usr/local|$(PREFIX)|g' systemd/$$unit > $(DESTDIR)$(PREFIX)/lib/systemd/system/$$unit; done
	install -m644 systemd/sysusers.d/ruralstat.conf $(DESTDIR)$(PREFIX)/lib/sysusers.d/ruralstat.conf
	install -m644 systemd/tmpfiles.d/ruralstat.conf $(DESTDIR)$(PREFIX)/lib/tmpfiles.d/ruralstat.conf
	install -d -m755 $(DESTDIR)/etc/ruralstat
	sed 's|/usr/local|$(PREFIX)|g' systemd/ruralstat.yaml > $(DESTDIR)/etc/ruralstat/ruralstat.yaml.example
	@if [ ! -e $(DESTDIR)/etc/ruralstat/ruralstat.yaml ]; then \
	  install -m644 $(DESTDIR)/etc/ruralstat/ruralstat.yaml.example $(DESTDIR)/etc/ruralstat/ruralstat.yaml; \
	  echo "Installed /etc/ruralstat/ruralstat.yaml: set the province and its units there."; \
	else echo "Kept the existing /etc/ruralstat/ruralstat.yaml; the shipped one is ruralstat.yaml.example."; fi

## The unit files, as systemd rates them: every service's exposure at most 1.0 (the daemon's,
## the backup's, the mail sender's; .build/unit-exposure.txt has the scores); and an install
## into a scratch root that holds every unit of systemd/ and whose binary reads its own
## configuration.
unit-check: system-deps
	@command -v systemd-analyze > /dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq systemd > /dev/null; }
	@mkdir -p .build && : > .build/unit-exposure.txt
	@for unit in systemd/*.service; do \
	  rating=$$(systemd-analyze security --offline=yes $$unit | tail -1); echo "$$rating" | tee -a .build/unit-exposure.txt; \
	  echo "$$rating" | awk '/Overall exposure level/ { for (i = 1; i <= NF; i++) if ($$i ~ /^[0-9]+\.[0-9]+$$/) v = $$i } END { if (v == "" || v > 1.0) exit 1 }' || \
	    { echo "unit-check: $$unit: exposure above 1.0"; exit 1; }; \
	done
	rm -rf .build/install-root && $(MAKE) install DESTDIR=$(CURDIR)/.build/install-root PREFIX=/usr > /dev/null
	sed -i 's|/srv/ruralstat|$(CURDIR)/.build/install-root/srv/ruralstat|; s|/var/lib/ruralstat|$(CURDIR)/.build/install-root/var/lib/ruralstat|; s|/usr/share/ruralstat|$(CURDIR)/.build/install-root/usr/share/ruralstat|' .build/install-root/etc/ruralstat/ruralstat.yaml
	.build/install-root/usr/bin/ruralstat schema --config .build/install-root/etc/ruralstat/ruralstat.yaml > /dev/null
	@for unit in $(notdir $(wildcard systemd/*.service systemd/*.timer systemd/*.path)); do \
	  test -f .build/install-root/usr/lib/systemd/system/$$unit || { echo "unit-check: make install does not install $$unit (add it to UNITS)"; exit 1; }; \
	done
	grep -q 'ExecStart=/usr/bin/ruralstat serve' .build/install-root/usr/lib/systemd/system/ruralstat.service
	grep -q 'ExecStart=/usr/bin/ruralstat mail send' .build/install-root/usr/lib/systemd/system/ruralstat-mail.service
	test -f .build/install-root/usr/lib/sysusers.d/ruralstat.conf && test -f .build/install-root/usr/lib/tmpfiles.d/ruralstat.conf
	@echo "unit-check: every service is hardened, every unit installed, and the install runs"

## The Debian package (issue 15): dist/ruralstat_<version>_<arch>.deb, made with dpkg-deb by
## packaging/build-deb.sh from the same static build as `make install` (the binary carries the
## Swift runtime). The version is RuralStat.version in Sources/ruralstat/RuralStat.swift, what
## `ruralstat --version` prints; packaging/debian/changelog's latest entry must say the same.
## The man pages come from the command-line definitions, through swift-argument-parser's
## generate-manual tool (built from the checkout the build resolved).
VERSION := $(shell sed -n 's/^ *static let version = "\(.*\)"/\1/p' Sources/ruralstat/RuralStat.swift)
DEB_ARCH := $(shell dpkg --print-architecture)
DEB := $(CURDIR)/dist/ruralstat_$(VERSION)_$(DEB_ARCH).deb
MANUAL_TOOL_BUILD := $(INSTALL_BUILD)/generate-manual
deb-deps:
	@if ! command -v dpkg-shlibdeps > /dev/null || ! command -v lintian > /dev/null || ! command -v man > /dev/null; then \
	  echo "Installing dpkg-dev, lintian and man-db…"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends dpkg-dev binutils lintian man-db > /dev/null; \
	fi
deb: system-deps deb-deps
	$(SWIFT) build -c release --product ruralstat --static-swift-stdlib --scratch-path $(INSTALL_BUILD)
	$(SWIFT) build --package-path $(INSTALL_BUILD)/checkouts/swift-argument-parser --scratch-path $(MANUAL_TOOL_BUILD) --product generate-manual
	packaging/build-deb.sh $(INSTALL_BUILD)/release/ruralstat $(MANUAL_TOOL_BUILD)/debug/generate-manual $(CURDIR)/dist
	@test -f $(DEB)

## The package installed on this machine for real (root; ruralstat must not be installed):
## lintian, dpkg -i, the daemon on the installed layout, man, dpkg -r and dpkg -P
## (packaging/check-deb.sh says what is checked).
deb-check: deb
	$(SUDO) packaging/check-deb.sh $(DEB)

## No compiler warning in our own code (issue 15). Warnings are printed only when a file
## compiles, so our targets (not the dependencies, whose warnings are not ours) are compiled
## again, with the tests; any warning in Sources/, Tests/ or Package.swift, or about the package
## itself (an unhandled file…), fails. On a fresh clone this is the build `make test` needs.
WARNINGS_BUILD ?= $(CURDIR)/.build
OUR_TARGETS := $(notdir $(wildcard Sources/* Tests/*))
PACKAGE_ID := $(shell basename "$(CURDIR)" | tr A-Z a-z)
warnings-check: system-deps
	@mkdir -p $(WARNINGS_BUILD)
	@# Our sources touched, so they are compiled again and say their warnings (deleting the
	@# targets' build folders instead left the build database pointing at missing files).
	find Sources Tests -name '*.swift' -exec touch {} +
	set -o pipefail; $(SWIFT) build --build-tests --scratch-path $(WARNINGS_BUILD) 2>&1 | tee $(WARNINGS_BUILD)/warnings.log | grep -E '^Build|error:' || true
	@if grep -E '^$(CURDIR)/(Sources|Tests|Package\.swift)[^ ]*: warning:|^warning: '"'"'$(PACKAGE_ID)'"'"':' $(WARNINGS_BUILD)/warnings.log \
	    | sort -u > $(WARNINGS_BUILD)/warnings.txt && [ -s $(WARNINGS_BUILD)/warnings.txt ]; then \
	  cat $(WARNINGS_BUILD)/warnings.txt; echo "warnings-check: $$(wc -l < $(WARNINGS_BUILD)/warnings.txt) warning(s) in our code"; exit 1; fi
	@grep -q '^Build complete' $(WARNINGS_BUILD)/warnings.log || { echo "warnings-check: the build did not complete"; exit 1; }
	@echo "warnings-check: no warning in our targets ($(words $(OUR_TARGETS)) folders compiled again)"
