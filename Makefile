# mariapi: a JSON:API service for MariaDB, as a FastCGI/CGI binary.
# `make run` and `make test` are the two commands a newcomer needs; see README.md.

CC      ?= cc
PORT    ?= 8080
PKGS    := libmariadb jansson libcrypto
WARN    := -Wall -Wextra -Werror -Wshadow -Wformat=2 -Wstrict-prototypes \
           -Wmissing-prototypes -Wvla -Wpointer-arith -Wundef \
           -Wno-missing-field-initializers  # descriptor tables leave trailing zeros out
STD     := -std=c11 -D_POSIX_C_SOURCE=200809L
OPT     ?= -O2 -g
HARDEN  := -fstack-protector-strong -D_FORTIFY_SOURCE=2 -fPIE
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)
CFLAGS  += $(STD) $(WARN) $(OPT) $(PKG_CFLAGS)
LDLIBS  += -lfcgi -largon2 $(PKG_LIBS)

# The sources live in one folder per layer (src/core, src/http, ...; see the
# README's tour), each folder one -I, so `#include "arena.h"` works anywhere.
SRC_DIRS := $(sort $(dir $(wildcard src/*/)))
SRC_INCS := $(patsubst %/,-I%,$(SRC_DIRS))
ALL_SRCS := $(wildcard src/*/*.c)
ALL_HDRS := $(wildcard src/*/*.h)
CFLAGS  += $(SRC_INCS)

# Every source but the programs' own files goes into both programs:
# http/main.c is the web binary's, admin/apictl*.c the admin tool's.
APICTL_SRCS := $(wildcard src/admin/apictl*.c)
PROG_SRCS := src/http/main.c $(APICTL_SRCS)
LIB_SRCS  := $(filter-out $(PROG_SRCS),$(ALL_SRCS))

BUILD   ?= build
BIN     ?= cgi-bin/api.fcgi
APICTL  ?= $(BUILD)/apictl
# Outputs are named on the make command line only: an exported BIN, APICTL
# or BUILD in the environment (a natural name for a user's own variable)
# must not make `make run` write a binary over whatever path it names.
ifeq ($(origin BUILD),environment)
override BUILD = build
endif
ifeq ($(origin BIN),environment)
override BIN = cgi-bin/api.fcgi
endif
ifeq ($(origin APICTL),environment)
override APICTL = $(BUILD)/apictl
endif
OBJDIR  := $(BUILD)/obj
LIB_OBJS := $(LIB_SRCS:src/%.c=$(OBJDIR)/%.o)

.PHONY: all deps run test test-only unit bench lint format asan valgrind clean install

all: $(BIN) $(APICTL) $(BUILD)/unit_tests $(BUILD)/ceiling.fcgi $(BUILD)/fcgi_client

$(OBJDIR)/%.o: src/%.c $(ALL_HDRS) | $(OBJDIR)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(HARDEN) -c -o $@ $<

$(OBJDIR):
	mkdir -p $@

$(BIN): $(OBJDIR)/http/main.o $(LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(LDFLAGS) -pie -o $@ $^ $(LDLIBS)

$(APICTL): $(APICTL_SRCS:src/%.c=$(OBJDIR)/%.o) $(LIB_OBJS)
	$(CC) $(LDFLAGS) -pie -o $@ $^ $(LDLIBS)

# C unit tests of pure code; each tests/unit/*.c includes what it tests.
# The resource descriptors (data the query parsing tests look up) are
# linked as they are built for the programs.
UNIT_OBJS := $(filter $(OBJDIR)/resources/%.o,$(LIB_OBJS))
$(BUILD)/unit_tests: $(wildcard tests/unit/*.c) $(ALL_SRCS) $(ALL_HDRS) $(UNIT_OBJS) | $(OBJDIR)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ tests/unit/main.c $(UNIT_OBJS) $(LDLIBS)

# Installs missing Debian packages (as root), or says which to install.
deps:
	@tests/helpers/deps.sh

# Private MariaDB under var/, lighttpd on 127.0.0.1:$(PORT), in the foreground.
run: deps
	@$(MAKE) --no-print-directory all
	@PORT=$(PORT) tests/helpers/run.sh

# The whole suite against a throw-away MariaDB and lighttpd.
test: deps
	@$(MAKE) --no-print-directory all
	@tests/helpers/test.sh

# Requests/s and latency with wrk (see tests/bench/bench.sh).
bench: deps
	@command -v wrk >/dev/null || { [ "$$(id -u)" -eq 0 ] && apt-get install -y -q wrk; } \
	  || { echo "Install wrk: sudo apt-get install -y wrk" >&2; exit 1; }
	@$(MAKE) --no-print-directory all $(BUILD)/ceiling.fcgi
	@tests/bench/bench.sh

# What a request costs in instructions, FastCGI and MariaDB, counted by
# callgrind: repeatable where rates are not (see tests/bench/instructions.sh).
.PHONY: bench-instructions
bench-instructions: deps
	@$(MAKE) --no-print-directory all
	@tests/bench/instructions.sh

# The benchmark's ceiling: one point-select and a fixed body (not installed).
$(BUILD)/ceiling.fcgi: tests/bench/ceiling.c | $(OBJDIR)
	$(CC) $(CFLAGS) -Wno-missing-prototypes -o $@ $< $(LDLIBS)

# A raw FastCGI client: how the process ends a connection (tests/fcgi_close.bats).
$(BUILD)/fcgi_client: tests/tools/fcgi_client.c | $(OBJDIR)
	$(CC) $(STD) $(WARN) $(OPT) -o $@ $<

# Faults under load for minutes, with figures (see tests/soak/soak.sh):
# MariaDB restarted under 64 connections, 100,000 requests through one
# FastCGI process with its RSS. Nothing of it is timed in `make test`.
.PHONY: soak
soak: deps
	@$(MAKE) --no-print-directory all
	@API_FCGI=$(abspath $(BIN)) API_APICTL=$(abspath $(APICTL)) tests/soak/soak.sh

# `make install` (PREFIX, DESTDIR, SYSCONFDIR): the binary where no web
# server serves it by default, apictl, a sample config (never overwriting
# one) and the web-server confs of apache/ with the binary's path filled in.
PREFIX     ?= /usr/local
SYSCONFDIR ?= /etc
LIBEXEC    := $(PREFIX)/lib/mariapi
install: $(BIN) $(APICTL)
	install -d $(DESTDIR)$(LIBEXEC) $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mariapi \
	  $(DESTDIR)$(SYSCONFDIR)/mariapi $(DESTDIR)$(SYSCONFDIR)/apache2/conf-available
	install -m 755 $(BIN) $(DESTDIR)$(LIBEXEC)/api.fcgi
	install -m 755 $(APICTL) $(DESTDIR)$(PREFIX)/bin/apictl
	install -d $(DESTDIR)$(PREFIX)/share/mariapi/sql/migrations
	install -m 644 sql/schema.sql sql/seed.sql $(DESTDIR)$(PREFIX)/share/mariapi/sql/
	for f in sql/migrations/*; do [ ! -f "$$f" ] || \
	  install -m 644 "$$f" $(DESTDIR)$(PREFIX)/share/mariapi/sql/migrations/ || exit 1; done
	for f in mariapi-fcgid.conf mariapi-cgi.conf htaccess lighttpd.conf nginx.conf api.conf.sample; do \
	  sed -e 's|/usr/local/lib/mariapi|$(LIBEXEC)|g' -e 's|/etc/mariapi/|$(SYSCONFDIR)/mariapi/|g' \
	    apache/$$f > $(DESTDIR)$(PREFIX)/share/mariapi/$$f && chmod 644 $(DESTDIR)$(PREFIX)/share/mariapi/$$f || exit 1; \
	done
	[ -e $(DESTDIR)$(SYSCONFDIR)/apache2/conf-available/mariapi.conf ] || \
	  install -m 644 $(DESTDIR)$(PREFIX)/share/mariapi/mariapi-fcgid.conf \
	    $(DESTDIR)$(SYSCONFDIR)/apache2/conf-available/mariapi.conf
	[ -e $(DESTDIR)$(SYSCONFDIR)/mariapi/api.conf ] || { \
	  install -m 640 apache/api.conf.sample $(DESTDIR)$(SYSCONFDIR)/mariapi/api.conf && \
	  { chgrp www-data $(DESTDIR)$(SYSCONFDIR)/mariapi/api.conf 2>/dev/null || true; }; }

unit: $(BUILD)/unit_tests
	$(BUILD)/unit_tests

# The suite with AddressSanitizer + UBSan builds of both binaries.
asan:
	@$(MAKE) --no-print-directory deps all
	@$(MAKE) --no-print-directory BUILD=build/asan BIN=build/asan/api.fcgi \
	  OPT="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined" \
	  LDFLAGS="-fsanitize=address,undefined" all
	@API_FCGI=$(CURDIR)/build/asan/api.fcgi API_APICTL=$(CURDIR)/build/asan/apictl \
	  API_SQL_DIR=$(CURDIR)/sql \
	  API_UNIT=$(CURDIR)/build/asan/unit_tests tests/helpers/test.sh

lint:
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --suppress=missingIncludeSystem $(SRC_INCS) src tests/unit tests/fuzz tests/tools
# admin/apictl_db.c is exempt: it sends the trusted sql/*.sql files of the
# installation (many statements each) for `apictl migrate` and `seed`.
	@! grep -n 'mysql_query\|mysql_real_query\|mysql_real_escape_string\|mysql_escape_string' \
	  $(filter-out src/admin/apictl_db.c,$(ALL_SRCS)) \
	  || (echo 'lint: SQL text must be built with sql.c and bound parameters' >&2; exit 1)
	@! grep -n 'FCGX_FPrintF\|fcgi_stdio.h' $(ALL_SRCS) $(ALL_HDRS) \
	  || (echo 'lint: use FCGX_PutStr and fcgiapp.h only' >&2; exit 1)
# A bats line that cannot fail (a `!` or the left side of `&&` that is not
# a test's last command) checks nothing.
	@tests/helpers/dead-asserts.sh

# Layout by .clang-format (tabs, 8 wide, 100 columns, kernel-like braces),
# in place over the C sources and the C tests.
CLANG_FORMAT ?= clang-format-14
format:
	@command -v $(CLANG_FORMAT) >/dev/null || { echo "make format needs $(CLANG_FORMAT):" \
	  "sudo apt-get install -y clang-format-14 (or CLANG_FORMAT=/path/to/clang-format)" >&2; exit 1; }
	$(CLANG_FORMAT) -i $(ALL_SRCS) $(ALL_HDRS) $(wildcard tests/unit/*.[ch] tests/fuzz/*.[ch] tests/tools/*.c)

# libFuzzer harnesses (tests/fuzz/, see its fuzz.h): Debian's clang-14 with
# ASan + UBSan over the same sources as the programs, in build/fuzz/.
# `make fuzz` runs each for FUZZ_SECONDS from a scratch copy of its seed
# corpus (tests/fuzz/corpus/NAME/); crashes land in build/fuzz/crashes/.
FUZZ_CC      ?= clang-14
FUZZ_SECONDS ?= 60
FUZZ_DIR     ?= build/fuzz
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=undefined
FUZZ_CFLAGS  := $(STD) $(WARN) -O1 -g -fno-omit-frame-pointer $(PKG_CFLAGS)
FUZZ_NAMES   := $(basename $(notdir $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS    := $(FUZZ_NAMES:%=$(FUZZ_DIR)/%)
FUZZ_OBJS    := $(LIB_SRCS:src/%.c=$(FUZZ_DIR)/obj/%.o)
.PHONY: fuzz fuzz-build

fuzz-build: $(FUZZ_BINS)

fuzz: deps
	@$(MAKE) --no-print-directory fuzz-build
	@FUZZ_DIR=$(FUZZ_DIR) tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_NAMES)

$(FUZZ_DIR)/obj/%.o: src/%.c $(ALL_HDRS)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(SRC_INCS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c -o $@ $<

# An archive: a harness that includes a source itself (fuzz_query.c takes
# auth/acl.c, to fill in the permissions a query would load) keeps that object out.
$(FUZZ_DIR)/libmariapi.a: $(FUZZ_OBJS)
	rm -f $@ && ar rcs $@ $^

$(FUZZ_DIR)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h $(FUZZ_DIR)/libmariapi.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(SRC_INCS) -fsanitize=fuzzer $(FUZZ_SAN) -o $@ $< \
	  $(FUZZ_DIR)/libmariapi.a $(LDLIBS)

clean:
	rm -rf build $(BIN)
