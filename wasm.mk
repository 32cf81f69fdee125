# Shared rules for the folders of C programs built to wasm32-wasi (c-fixtures, examples, bench,
# test/sandbox): reproducible flags, one NAME.wasm per NAME.c. A folder's Makefile sets
# EXTRA_DEPS if its programs include a local header, then includes this file.
#
# Debug sections (which would carry build paths) are stripped at link time while the name
# section is kept, and source paths are made relative so __FILE__ never holds an absolute path.
# Per-program extra flags: CFLAGS_<name> / LDLIBS_<name>.
#
# One more thing varies: clang runs wasm-opt after an optimizing link whenever it finds one beside
# itself or on PATH (npm puts binaryen's in node_modules/.bin, so `npm run` would; Debian's
# binaryen puts one in /usr/bin, beside clang and wasm-ld), which changes the bytes, and clang 14
# has no switch to stop it. So clang is called by the absolute path of its real executable, given
# its linker by absolute path (-fuse-ld=), with PATH set to clang's own folder; and the build
# stops if clang would still find a wasm-opt there.

WASI_CC ?= clang
CFLAGS  := --target=wasm32-wasi -O2 -g0 -Wall -Werror -ffile-prefix-map=$(CURDIR)/=
LDFLAGS := -Wl,--strip-debug

CC_EXE := $(realpath $(shell command -v '$(WASI_CC)'))
ifeq ($(CC_EXE),)
$(error wasm.mk: the compiler '$(WASI_CC)' was not found (set WASI_CC, or install clang))
endif
# (Not resolved further: lld picks its flavour by the name it is called by.)
LD_EXE := $(shell '$(CC_EXE)' --target=wasm32-wasi -print-prog-name=wasm-ld)
ifeq ($(filter /%,$(LD_EXE)),)
$(error wasm.mk: $(CC_EXE) finds no wasm-ld (install lld))
endif
CC_DIR := $(patsubst %/,%,$(dir $(CC_EXE)))
ifneq ($(shell PATH='$(CC_DIR)' '$(CC_EXE)' --target=wasm32-wasi -print-prog-name=wasm-opt),wasm-opt)
$(error wasm.mk: $(CC_EXE) would run a wasm-opt from its own folder, which changes the output)
endif

SRCS  := $(sort $(wildcard *.c))
WASMS := $(SRCS:.c=.wasm)

.PHONY: all clean
.DEFAULT_GOAL := all

all: $(WASMS)

%.wasm: %.c $(EXTRA_DEPS) Makefile $(lastword $(MAKEFILE_LIST))
	@echo "  CC      $@"
	@PATH='$(CC_DIR)' '$(CC_EXE)' -fuse-ld='$(LD_EXE)' $(CFLAGS) $(CFLAGS_$*) -o $@ $< $(LDFLAGS) $(LDLIBS_$*)

clean:
	@rm -f $(WASMS)
