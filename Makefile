# MarketingOS — the two commands are `make run` and `make test`.
GO ?= go

.PHONY: run test generate check-generated vet build bench

## run: start the server on the embedded SQLite file (marketingos.db) with demo data, at http://localhost:8080
run:
	$(GO) run ./cmd/marketingos serve --demo

## test: every test, with the race detector (PostgreSQL when TEST_DATABASE_URL is set, SQLite otherwise)
test:
	$(GO) test -race -count=1 ./...

## generate: regenerate ent and gqlgen code (committed; CI fails if this changes anything)
generate:
	$(GO) generate ./...

## check-generated: fail if generated code is out of date
check-generated: generate
	@git diff --exit-code --stat || (echo "generated code is out of date: run make generate and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain)" || (git status --porcelain >&2; echo "generate created untracked files" >&2; exit 1)

vet:
	$(GO) vet ./...

build:
	$(GO) build -o bin/marketingos ./cmd/marketingos

## bench: benchmarks (none yet: the tracking issue adds the first)
bench:
	@echo "no benchmarks yet"
