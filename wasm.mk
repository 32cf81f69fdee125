# Shared rules for the folders of C programs built to wasm32-wasi (c-fixtures, examples, bench,
# test/sandbox): reproducible flags, one NAME.wasm per NAME.c. A folder's Makefile sets
# EXTRA_DEPS if its programs include a local header, then includes this file.
#
# Debug sections (which would carry build paths) are stripped at link time while the name
# section is kept, and source paths are made relative so __FILE__ never holds an absolute path.
# Per-program extra flags: CFLAGS_<name> / LDLIBS_<name>.
#
# One more thing varies: clang runs wasm-opt after an optimizing link whenever it finds one on
# PATH (npm puts binaryen's in node_modules/.bin, so `npm run` would), which changes the bytes,
# and clang 14 has no switch to stop it. The compiler therefore runs with every PATH folder that
# holds a wasm-opt left out.

WASI_CC ?= clang
CFLAGS  := --target=wasm32-wasi -O2 -g0 -Wall -Werror -ffile-prefix-map=$(CURDIR)/=
LDFLAGS := -Wl,--strip-debug

empty :=
space := $(empty) $(empty)
BUILD_PATH := $(subst $(space),:,$(strip $(foreach d,$(subst :, ,$(PATH)),$(if $(wildcard $(d)/wasm-opt),,$(d)))))

SRCS  := $(sort $(wildcard *.c))
WASMS := $(SRCS:.c=.wasm)

.PHONY: all clean
.DEFAULT_GOAL := all

all: $(WASMS)

%.wasm: %.c $(EXTRA_DEPS) Makefile $(lastword $(MAKEFILE_LIST))
	@echo "  CC      $@"
	@PATH='$(BUILD_PATH)' $(WASI_CC) $(CFLAGS) $(CFLAGS_$*) -o $@ $< $(LDFLAGS) $(LDLIBS_$*)

clean:
	@rm -f $(WASMS)
