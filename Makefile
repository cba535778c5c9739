# MarketingOS — the two commands are `make run` and `make test`.
GO ?= go

# The dashboard (web/) is built with Node (npm ci, relay-compiler, vite); its build, web/dist, is committed and
# embedded, so run and test need only Go.
.PHONY: web web-check run test generate check-generated vet build bench bench-pixel bench-store bench-fanout bench-dashboard fuzz

## run: start the server on the embedded SQLite file (marketingos.db) with demo data, at http://localhost:8080
run:
	$(GO) run ./cmd/marketingos serve --demo

## web: rebuild the dashboard into web/dist (npm ci, relay-compiler, vite build, the bundle budget); commit the result
web:
	cd web && npm ci --no-audit --no-fund && npm run build

## web-check: what CI checks of the dashboard: types, unit tests, every operation against graph/schema.graphqls,
## the build and its budget, and that the committed build is the one the sources make
web-check:
	cd web && npm ci --no-audit --no-fund && npx tsc --noEmit && npx vitest run && npm run relay:validate && npm run build
	@git diff --exit-code --stat -- web/ || (echo "web/ differs from its committed build: run make web and commit" >&2; exit 1)
	@test -z "$$(git status --porcelain -- web/)" || (git status --porcelain -- web/ >&2; echo "make web created untracked files" >&2; exit 1)

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

## bench: every benchmark, on PostgreSQL (BENCH_DATABASE_URL, default the local one); seven to thirteen minutes
bench: bench-pixel bench-store bench-fanout bench-dashboard

## bench-pixel: the pixel under load, real server against a bare GIF server, at each of PIXEL_CONNS keep-alive
## connections; BENCHFLAGS passes flags, e.g. make bench-pixel PIXEL_CONNS=128 BENCHFLAGS="-duration 30s -cpuprofile cpu.out"
PIXEL_CONNS ?= 64 256
bench-pixel:
	@for c in $(PIXEL_CONNS); do $(GO) run ./cmd/marketingos-bench pixel -c $$c $(BENCHFLAGS) || exit 1; done

## bench-store: one group commit on PostgreSQL without HTTP (the database's cost per stored hit), batches of 1, 32, 128
bench-store:
	TEST_DATABASE_URL="$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}" \
	$(GO) test ./internal/tracking/ -run '^$$' -bench '^BenchmarkStoreEvents$$' -benchtime 400x -count 3

## bench-fanout: eventTracked delivered to 1,000 WebSocket subscribers of one organization
bench-fanout:
	$(GO) run ./cmd/marketingos-bench fanout

## bench-dashboard: the dashboard (rollup and raw) and attributionReport over 1,000,000 events on PostgreSQL
## (BENCH_DATABASE_URL, default the local one); loading takes minutes. BENCH_DASHBOARD_EVENTS changes the size.
BENCH_DASHBOARD_EVENTS ?= 1000000
bench-dashboard:
	DASHBOARD_BENCH_EVENTS=$(BENCH_DASHBOARD_EVENTS) \
	TEST_DATABASE_URL="$${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}" \
	$(GO) test ./internal/dashboard/ -run '^$$' -bench '^BenchmarkCompute$$' -benchtime 30x -timeout 60m

## fuzz: fuzz the tracking input parsers and the Stripe webhook (signed mutations of real events), FUZZTIME each
## (default 30s)
FUZZTIME ?= 30s
fuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzParsePixel$$' -fuzztime $(FUZZTIME) ./internal/tracking/
	$(GO) test -run '^$$' -fuzz '^FuzzDecodeEvent$$' -fuzztime $(FUZZTIME) ./internal/tracking/
	$(GO) test -run '^$$' -fuzz '^FuzzStripeWebhook$$' -fuzztime $(FUZZTIME) ./server/
