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
	"github.com/marketingos/marketingos/internal/auth"
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
	// ssePingInterval keeps an idle event stream from being cut by proxies' idle timeouts (60 s is common).
	ssePingInterval = 15 * time.Second
)

func newGraphQL(d Deps, origins originPolicy) http.Handler {
	srv := handler.New(graph.NewSchema(graph.Deps{Client: d.DB.Client, Tracking: d.Tracking, Campaigns: d.Campaigns, Content: d.Content,
		Follows: d.Follows, Dashboards: d.Dashboards, Payments: d.Stripe, People: d.People,
	}))
	srv.AddTransport(&transport.Websocket{
		Implementation: wsImplementation{transport.CoderWebsocketImplementation{
			// httpAuth has checked the upgrade's Origin with the rule CORS and the cookie checks use
			// (originPolicy.allowsWebSocket); the library's own check matches hosts only, whatever the scheme.
			AcceptOptions: websocket.AcceptOptions{InsecureSkipVerify: true},
		}},
		InitFunc:              websocketAuth(d),
		InitTimeout:           wsInitTimeout,
		KeepAlivePingInterval: wsPingInterval, // legacy graphql-ws "ka" messages
		PingPongInterval:      wsPingInterval, // graphql-transport-ws ping/pong
	})
	// gqlgen serves a request with the first transport that supports it. SSE (a JSON POST that accepts
	// text/event-stream) goes before POST, which would otherwise take every JSON POST and answer a subscription with
	// "transport not supported".
	srv.AddTransport(transport.SSE{KeepAlivePingInterval: ssePingInterval})
	srv.AddTransport(transport.Options{})
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})

	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(ParserTokenLimit)
	srv.Use(extension.FixedComplexityLimit(ComplexityLimit))
	srv.Use(graph.Permissions{})
	srv.Use(graph.Audit{Client: d.DB.Client, Log: d.Log})
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
	return httpAuth(d, origins, client, limit(readBody(endWritesOnReturn(srv))))
}

// httpAuth authenticates every HTTP request with an API key (Authorization: Bearer) or, for a browser, the session
// cookie — then closed against cross-site requests, and acting in the organization X-Organization-Id names.
// WebSocket upgrades are let through from allowed origins only; their credentials arrive in connection_init
// (websocketAuth), and only a session cookie sent from an origin that may use it is kept for it.
func httpAuth(d Deps, policy originPolicy, client clientAddress, next http.Handler) http.Handler {
	origins := newCredentialedOrigins(d.Config)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r = r.WithContext(auditContext(r, d.Config.Tracking.IPSalt, client))
		if isWebSocketUpgrade(r) {
			if !policy.allowsWebSocket(r, origins) {
				writeGraphQLError(w, http.StatusForbidden, graph.CodeForbidden, "WebSocket connections are not allowed from origin "+r.Header.Get("Origin"))
				return
			}
			if token := sessionToken(r); token != "" && origins.checkCookieRequest(r, false) == nil {
				r = r.WithContext(context.WithValue(r.Context(), wsSessionKey{}, token))
			}
			next.ServeHTTP(w, r)
			return
		}
		// Every GraphQL request may change something (a mutation), so a cookie one must be a JSON POST.
		v, err := requestViewer(r, d, origins, true)
		if err != nil {
			refuseCredentials(w, r, d, err, writeGraphQLError)
			return
		}
		next.ServeHTTP(w, r.WithContext(viewer.NewContext(r.Context(), v)))
	})
}

// requestViewer authenticates r with its API key (Authorization: Bearer) or, without one, its session cookie, which
// must pass checkCookieRequest (needJSONPost: only a JSON POST is accepted) and acts in the organization
// X-Organization-Id names. It is the one way every route that serves both keys and people authenticates.
func requestViewer(r *http.Request, d Deps, origins credentialedOrigins, needJSONPost bool) (viewer.Viewer, error) {
	if header := r.Header.Get("Authorization"); header != "" || sessionToken(r) == "" {
		return authenticate(r.Context(), d, header)
	}
	if err := origins.checkCookieRequest(r, needJSONPost); err != nil {
		return viewer.Viewer{}, err
	}
	return sessionViewer(r.Context(), d.Auth, sessionToken(r), r.Header.Get(organizationHeader))
}

// refuseCredentials answers a request that requestViewer refused, with write: GraphQL-shaped on /graphql, the REST
// error body elsewhere.
func refuseCredentials(w http.ResponseWriter, r *http.Request, d Deps, err error, write func(http.ResponseWriter, int, string, string)) {
	switch {
	case errors.Is(err, errCrossSite), errors.Is(err, errCookieNotJSONPost):
		write(w, http.StatusForbidden, graph.CodeForbidden, err.Error())
	case errors.Is(err, account.ErrInvalidKey):
		w.Header().Set("WWW-Authenticate", `Bearer realm="marketingos"`)
		write(w, http.StatusUnauthorized, graph.CodeUnauthenticated, "a valid API key (Authorization: Bearer mos_sk_…) or a signed-in session is required")
	case errors.Is(err, auth.ErrInvalidSession):
		clearSessionCookie(w, r, d.Config.Auth)
		write(w, http.StatusUnauthorized, graph.CodeUnauthenticated, "the session has ended; sign in again")
	case errors.Is(err, auth.ErrNotMember):
		write(w, http.StatusForbidden, graph.CodeForbidden, "you are not a member of the organization in "+organizationHeader)
	case errors.Is(err, auth.ErrNoOrganization):
		write(w, http.StatusForbidden, graph.CodeForbidden, "you belong to no organization yet; ask an administrator for an invitation")
	default:
		d.Log.ErrorContext(r.Context(), "authentication failed", "error", err)
		write(w, http.StatusServiceUnavailable, graph.CodeInternal, "authentication unavailable")
	}
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
