package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/99designs/gqlgen/graphql/handler/transport"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/auth"
	"github.com/marketingos/marketingos/internal/viewer"
)

// Close codes a refused WebSocket gets. They tell the client whether to reconnect: graphql-ws and Apollo give up
// on 4400 and 4401 (a retry cannot help, and retrying at once would flood the server), and retry 4403 and 1013.
const (
	wsCloseBadRequest    = 4400 // graphql-transport-ws: the message is malformed
	wsCloseUnauthorized  = 4401 // graphql-transport-ws: no valid credentials
	wsCloseForbidden     = 4403 // graphql-transport-ws: valid credentials, not allowed
	wsCloseTryAgainLater = 1013 // RFC 6455: the server cannot decide now (the key could not be checked)
)

// wsRefusal is how a WebSocket whose connection_init failed authentication with err is closed, and what the
// connection_error of the legacy graphql-ws protocol says (graphql-transport-ws has no such message).
func wsRefusal(err error) (code int, reason, message string) {
	switch {
	case errors.Is(err, account.ErrInvalidKey), errors.Is(err, auth.ErrInvalidSession):
		return wsCloseUnauthorized, "Unauthorized", "UNAUTHENTICATED: a valid API key in the connection_init payload, or a signed-in session, is required"
	case errors.Is(err, viewer.ErrForbidden), errors.Is(err, auth.ErrNotMember), errors.Is(err, auth.ErrNoOrganization):
		return wsCloseForbidden, "Forbidden", "FORBIDDEN: these credentials may not open subscriptions in this organization"
	default:
		return wsCloseTryAgainLater, "Try Again Later", "UNAVAILABLE: authentication unavailable; retry later"
	}
}

// wsSessionKey carries, from the upgrade request to connection_init, the session token of a browser whose origin
// may use it.
type wsSessionKey struct{}

// websocketAuth authenticates the key in the connection_init payload; a refusal closes the connection with the
// code wsRefusal gives.
func websocketAuth(d Deps) transport.WebsocketInitFunc {
	return func(ctx context.Context, payload transport.InitPayload) (context.Context, *transport.InitPayload, error) {
		var v viewer.Viewer
		var err error
		if token, _ := ctx.Value(wsSessionKey{}).(string); token != "" && payload.Authorization() == "" {
			orgID, _ := payload["organizationId"].(string)
			v, err = sessionViewer(ctx, d.Auth, token, orgID)
		} else {
			v, err = authenticate(ctx, d, payload.Authorization())
		}
		if err != nil {
			code, reason, message := wsRefusal(err)
			if code == wsCloseTryAgainLater {
				d.Log.ErrorContext(ctx, "websocket authentication failed", "error", err)
			}
			ctx = transport.AppendCloseReason(transport.WithWebsocketCloseCode(ctx, code), reason)
			return ctx, nil, errors.New(message)
		}
		return viewer.NewContext(ctx, v), nil, nil
	}
}

// wsImplementation accepts WebSockets with coder/websocket and closes at once, with 4400, a connection whose
// connection_init payload is not an object: gqlgen neither acknowledges nor closes such a connection, so its
// socket would stay open after the client left (and anyone could exhaust the server's file descriptors).
type wsImplementation struct {
	transport.CoderWebsocketImplementation
}

func (i wsImplementation) Accept(w http.ResponseWriter, r *http.Request, opts transport.WebsocketAcceptOptions) (transport.WebsocketConn, error) {
	conn, err := i.CoderWebsocketImplementation.Accept(w, r, opts)
	if err != nil {
		return nil, err
	}
	return &wsInitCheck{WebsocketConn: conn}, nil
}

// errBadInit ends gqlgen's reading of a connection refused by wsInitCheck.
var errBadInit = errors.New("websocket: connection_init payload is not an object")

// wsInitCheck checks the first message a client sends. gqlgen reads it in one goroutine and the next ones, if
// any, after it, so checked needs no lock.
type wsInitCheck struct {
	transport.WebsocketConn
	checked bool
}

func (c *wsInitCheck) NextReader() (int, io.Reader, error) {
	typ, r, err := c.WebsocketConn.NextReader()
	if err != nil || c.checked {
		return typ, r, err
	}
	c.checked = true
	data, err := io.ReadAll(r)
	if err != nil {
		return typ, nil, err
	}
	if !initPayloadIsObject(data) {
		// The close frame goes first; gqlgen's own close that follows the error is then a no-op.
		_ = c.WriteClose(wsCloseBadRequest, "connection_init payload must be an object")
		return typ, nil, errBadInit
	}
	return typ, bytes.NewReader(data), nil
}

// initPayloadIsObject reports whether msg, when it is a connection_init with a payload, carries an object (or
// null) there, as both protocols require. Anything else that is wrong with msg is gqlgen's to answer.
func initPayloadIsObject(msg []byte) bool {
	var m struct {
		Type    string          `json:"type"`
		Payload json.RawMessage `json:"payload"`
	}
	if json.Unmarshal(msg, &m) != nil || m.Type != "connection_init" || len(m.Payload) == 0 {
		return true
	}
	var payload map[string]any
	return json.Unmarshal(m.Payload, &payload) == nil
}

// SetReadLimit and SetReadDeadline pass on the optional capabilities gqlgen looks for on the connection.

func (c *wsInitCheck) SetReadLimit(limit int64) {
	if l, ok := c.WebsocketConn.(transport.WebsocketReadLimiter); ok {
		l.SetReadLimit(limit)
	}
}

func (c *wsInitCheck) SetReadDeadline(t time.Time) error {
	if d, ok := c.WebsocketConn.(transport.WebsocketReadDeadliner); ok {
		return d.SetReadDeadline(t)
	}
	return nil
}
