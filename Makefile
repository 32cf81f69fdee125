# Entry points; each calls the npm scripts so that npm and make agree.
.PHONY: all build test fixtures clean
all: build

build:
	npm run build

test:
	npm test

fixtures:
	npm run fixtures

clean:
	rm -rf dist
