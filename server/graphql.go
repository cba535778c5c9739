package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/coder/websocket"
	"github.com/go-chi/httprate"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/marketingos/marketingos/graph"
	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Limits of the GraphQL endpoint. The complexity limit counts a connection as its page size times its node's
// fields (graph.NewSchema), so it bounds rows as well as fields.
const (
	MaxBodyBytes      = 1 << 20 // 1 MiB
	ComplexityLimit   = 2000
	ParserTokenLimit  = 5000
	RateLimitRequests = 600 // per API key per RateLimitWindow, per instance
	RateLimitWindow   = time.Minute

	wsInitTimeout  = 10 * time.Second
	wsPingInterval = 15 * time.Second
)

func newGraphQL(d Deps, origins originPolicy) http.Handler {
	srv := handler.New(graph.NewSchema(graph.Deps{Client: d.DB.Client, Tracking: d.Tracking, Campaigns: d.Campaigns, Content: d.Content,
		Follows: d.Follows, Dashboards: d.Dashboards, Payments: d.Stripe,
	}))
	srv.AddTransport(&transport.Websocket{
		Implementation: wsImplementation{transport.CoderWebsocketImplementation{
			AcceptOptions: websocket.AcceptOptions{OriginPatterns: origins.hostPatterns()},
		}},
		InitFunc:              websocketAuth(d),
		InitTimeout:           wsInitTimeout,
		KeepAlivePingInterval: wsPingInterval, // legacy graphql-ws "ka" messages
		PingPongInterval:      wsPingInterval, // graphql-transport-ws ping/pong
	})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.AddTransport(transport.SSE{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.Use(graph.TextInput{})
	srv.Use(extension.AutomaticPersistedQuery{Cache: lru.New[string](100)})
	if d.Config.Development() {
		srv.Use(extension.Introspection{})
	} else {
		srv.SetDisableSuggestion(true) // "did you mean" would map out the schema without introspection
	}
	srv.AroundFields(graph.MarkResolverErrors)
	srv.SetErrorPresenter(graph.ErrorPresenter(d.Log))
	srv.SetRecoverFunc(graph.Recover(d.Log))

	client := newClientAddress(d.Config.Tracking)
	limit := httprate.LimitBy(RateLimitRequests, RateLimitWindow,
		func(r *http.Request) (string, error) {
			if key := viewer.FromContextKey(r.Context()); key != "" {
				return key, nil
			}
			// A WebSocket upgrade is authenticated later, in connection_init: limit it by address (the client's,
			// behind a proxy too), so that upgrades from one place cannot use up everyone's allowance.
			return "ip:" + client.of(r), nil
		},
		httprate.WithLimitHandler(func(w http.ResponseWriter, r *http.Request) {
			writeGraphQLError(w, http.StatusTooManyRequests, graph.CodeRateLimited, "rate limit exceeded; retry later")
		}),
	)
	return httpAuth(d, limit(readBody(srv)))
}

// httpAuth requires a valid API key on every HTTP request. WebSocket upgrades pass: their key arrives in
// connection_init and websocketAuth checks it.
func httpAuth(d Deps, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isWebSocketUpgrade(r) {
			next.ServeHTTP(w, r)
			return
		}
		v, err := authenticate(r.Context(), d, r.Header.Get("Authorization"))
		if err != nil {
			if !errors.Is(err, account.ErrInvalidKey) {
				d.Log.ErrorContext(r.Context(), "authentication failed", "error", err)
				writeGraphQLError(w, http.StatusServiceUnavailable, graph.CodeInternal, "authentication unavailable")
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="marketingos"`)
			writeGraphQLError(w, http.StatusUnauthorized, graph.CodeUnauthenticated, "a valid API key is required: Authorization: Bearer mos_sk_…")
			return
		}
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), v)))
	})
}

func authenticate(ctx context.Context, d Deps, header string) (viewer.Viewer, error) {
	secret, ok := strings.CutPrefix(header, "Bearer ")
	if !ok {
		return viewer.Viewer{}, account.ErrInvalidKey
	}
	return account.Authenticate(ctx, d.DB.Client, strings.TrimSpace(secret))
}

// readBody bounds a POST body and rejects invalid JSON with a GraphQL-shaped error before gqlgen sees it (gqlgen
// would echo the body back in its message).
func readBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r)
			return
		}
		if r.ContentLength > MaxBodyBytes {
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body exceeds 1 MiB")
			return
		}
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
		var tooLarge *http.MaxBytesError
		switch {
		case errors.As(err, &tooLarge):
			writeGraphQLError(w, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body exceeds 1 MiB")
			return
		case err != nil:
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "could not read request body")
			return
		}
		if mediaJSON(r.Header.Get("Content-Type")) && !json.Valid(body) {
			writeGraphQLError(w, http.StatusBadRequest, "BAD_REQUEST", "request body is not valid JSON")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		next.ServeHTTP(w, r)
	})
}

func mediaJSON(contentType string) bool {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mt), "application/json")
}

func isWebSocketUpgrade(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket")
}
