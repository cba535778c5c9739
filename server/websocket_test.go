package server_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"

	"github.com/marketingos/marketingos/internal/account"
	"github.com/marketingos/marketingos/internal/apitest"
)

// graphqlWSRetries reports whether the graphql-ws client (shouldRetryConnectOrThrow) reconnects after the server
// closed with code. It reconnects after 1000 while a subscription waits, which a dashboard's always does: that is
// how a refusal closed with 1000 became hundreds of reconnections a second.
func graphqlWSRetries(code websocket.StatusCode) bool {
	switch code {
	case 4500, 4005, 4400, 4004, 4401, 4406, 4409, 4429:
		return false
	case 1000, 1001, 1005, 1006, 1012, 1013, 1014:
		return true
	}
	return code < 1000 || code > 1999
}

// countingServer serves env's handler and counts the WebSocket handshakes it receives.
func countingServer(t *testing.T, env *apitest.Env) (*httptest.Server, *atomic.Int64) {
	t.Helper()
	var handshakes atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.EqualFold(r.Header.Get("Upgrade"), "websocket") {
			handshakes.Add(1)
		}
		env.App.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, &handshakes
}

// wsAttempt is what one connection of a client saw.
type wsAttempt struct {
	code            websocket.StatusCode
	connectionError string // the legacy protocol's connection_error message, if any
}

// maxAttempts stops a client that reconnects without end; one is what the test wants.
const maxAttempts = 100

// connectLikeGraphQLWS connects to base as a graphql-ws client would, with key in connection_init, and reconnects
// while its retry policy says so, until ctx ends (or maxAttempts). It returns every connection's outcome.
func connectLikeGraphQLWS(t *testing.T, ctx context.Context, base, subprotocol, key string) []wsAttempt {
	t.Helper()
	var attempts []wsAttempt
	for ctx.Err() == nil && len(attempts) < maxAttempts {
		a := wsConnectOnce(t, ctx, base, subprotocol, key)
		attempts = append(attempts, a)
		if !graphqlWSRetries(a.code) {
			break
		}
	}
	return attempts
}

func wsConnectOnce(t *testing.T, ctx context.Context, base, subprotocol, key string) wsAttempt {
	t.Helper()
	conn, _, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(base, "http")+"/graphql",
		&websocket.DialOptions{Subprotocols: []string{subprotocol}})
	if err != nil {
		return wsAttempt{code: 1006}
	}
	defer conn.CloseNow()
	init := map[string]any{"type": "connection_init", "payload": map[string]string{"Authorization": "Bearer " + key}}
	if err := wsjson.Write(ctx, conn, init); err != nil {
		return wsAttempt{code: 1006}
	}
	var a wsAttempt
	for {
		var msg struct {
			Type    string
			Payload json.RawMessage
		}
		err := wsjson.Read(ctx, conn, &msg)
		if err != nil {
			a.code = websocket.CloseStatus(err)
			if a.code == -1 {
				a.code = 1006
			}
			return a
		}
		switch msg.Type {
		case "connection_ack":
			t.Errorf("the server acknowledged connection_init with key %q", key)
		case "connection_error":
			a.connectionError = string(msg.Payload)
		}
	}
}

// TestWebSocketRefusalIsFinal: a dashboard whose key is missing, wrong or revoked is refused with 4401, after which
// graphql-ws does not reconnect: in 5 seconds the server sees exactly one handshake. The legacy graphql-ws
// protocol hears connection_error first.
func TestWebSocketRefusalIsFinal(t *testing.T) {
	env := apitest.New(t)
	revoked := env.NewOrg(t, "Revoked")
	if err := account.RevokeKeys(context.Background(), env.DB.Client, revoked.ID, "default"); err != nil {
		t.Fatal(err)
	}
	keys := map[string]string{
		"revoked key": revoked.APIKey,
		"unknown key": account.SecretPrefix + strings.Repeat("Z", 32),
		"no key":      "",
	}
	for _, subprotocol := range []string{"graphql-transport-ws", "graphql-ws"} {
		for name, key := range keys {
			t.Run(subprotocol+"/"+name, func(t *testing.T) {
				srv, handshakes := countingServer(t, env)
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				defer cancel()
				attempts := connectLikeGraphQLWS(t, ctx, srv.URL, subprotocol, key)
				if n := handshakes.Load(); n != 1 || len(attempts) != 1 {
					t.Fatalf("%d handshakes reached the server (the client made %d, the first closed with %d), want exactly 1",
						n, len(attempts), attempts[0].code)
				}
				if a := attempts[0]; a.code != 4401 {
					t.Errorf("closed with %d, want 4401 Unauthorized", a.code)
				}
				legacy := subprotocol == "graphql-ws"
				if got := attempts[0].connectionError; legacy != strings.Contains(got, "UNAUTHENTICATED") {
					t.Errorf("connection_error %q; want one saying UNAUTHENTICATED only on the legacy protocol", got)
				}
			})
		}
	}
}

// TestWebSocketAuthenticationUnavailable: when keys cannot be checked (the database is gone) the refusal is
// 1013 Try Again Later, which clients retry, not 4401, which they take as final.
func TestWebSocketAuthenticationUnavailable(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	if err := env.DB.SQL.Close(); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if a := wsConnectOnce(t, ctx, env.Server.URL, "graphql-transport-ws", org.APIKey); a.code != 1013 {
		t.Errorf("closed with %d while the database is down, want 1013 Try Again Later", a.code)
	}
}

// TestWebSocketInitPayloadNotAnObject: a connection_init whose payload is not an object is closed at once with
// 4400, and the server lets go of the TCP connection (before, it was neither acknowledged nor closed, and every
// such connection kept a file descriptor forever).
func TestWebSocketInitPayloadNotAnObject(t *testing.T) {
	env := apitest.New(t)
	for _, payload := range []string{`"x"`, `[1,2]`, `42`, `true`} {
		for _, subprotocol := range []string{"graphql-transport-ws", "graphql-ws"} {
			t.Run(subprotocol+"/"+payload, func(t *testing.T) {
				ws := dialRawWebSocket(t, env.Server.Listener.Addr().String(), subprotocol)
				ws.send(t, 0x1, []byte(`{"type":"connection_init","payload":`+payload+`}`))
				code, reason := ws.readClose(t)
				if code != 4400 {
					t.Errorf("closed with %d %q, want 4400", code, reason)
				}
				ws.send(t, 0x8, binary.BigEndian.AppendUint16(nil, 4400)) // the client's half of the close
				ws.expectEOF(t)
			})
		}
	}
}

// rawWebSocket is a client WebSocket spoken by hand, to see what the server does with the TCP connection.
type rawWebSocket struct {
	conn net.Conn
	br   *bufio.Reader
}

// rawDeadline bounds every step of a raw WebSocket exchange; the server's init timeout (10 s) is longer, so a
// server that waits for it fails the test.
const rawDeadline = 5 * time.Second

func dialRawWebSocket(t *testing.T, addr, subprotocol string) *rawWebSocket {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	_ = conn.SetDeadline(time.Now().Add(rawDeadline))
	key := base64.StdEncoding.EncodeToString([]byte(rand.Text())[:16])
	fmt.Fprintf(conn, "GET /graphql HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: %s\r\n\r\n", addr, key, subprotocol)
	br := bufio.NewReader(conn)
	res, err := http.ReadResponse(br, nil)
	if err != nil {
		t.Fatal(err)
	}
	if res.StatusCode != http.StatusSwitchingProtocols {
		t.Fatalf("upgrade answered %d", res.StatusCode)
	}
	return &rawWebSocket{conn: conn, br: br}
}

// send writes one masked frame (clients must mask).
func (ws *rawWebSocket) send(t *testing.T, opcode byte, payload []byte) {
	t.Helper()
	if len(payload) > 125 {
		t.Fatal("rawWebSocket sends short frames only")
	}
	mask := []byte{1, 2, 3, 4}
	frame := append([]byte{0x80 | opcode, 0x80 | byte(len(payload))}, mask...)
	for i, b := range payload {
		frame = append(frame, b^mask[i%4])
	}
	if _, err := ws.conn.Write(frame); err != nil {
		t.Fatal(err)
	}
}

// readClose reads frames until a close frame and returns its code and reason.
func (ws *rawWebSocket) readClose(t *testing.T) (int, string) {
	t.Helper()
	for {
		var head [2]byte
		if _, err := io.ReadFull(ws.br, head[:]); err != nil {
			t.Fatalf("no close frame from the server: %v", err)
		}
		n := int(head[1] & 0x7f)
		switch n {
		case 126:
			var ext [2]byte
			_, _ = io.ReadFull(ws.br, ext[:])
			n = int(binary.BigEndian.Uint16(ext[:]))
		case 127:
			t.Fatal("unexpectedly long frame from the server")
		}
		payload := make([]byte, n)
		if _, err := io.ReadFull(ws.br, payload); err != nil {
			t.Fatal(err)
		}
		if head[0]&0x0f == 0x8 {
			if len(payload) < 2 {
				return 1005, ""
			}
			return int(binary.BigEndian.Uint16(payload)), string(payload[2:])
		}
	}
}

// expectEOF checks that the server closes the TCP connection.
func (ws *rawWebSocket) expectEOF(t *testing.T) {
	t.Helper()
	_, err := ws.br.ReadByte()
	var netErr net.Error
	if errors.As(err, &netErr) && netErr.Timeout() {
		t.Fatalf("the server kept the TCP connection open %s after the close handshake", rawDeadline)
	}
	if err == nil {
		t.Fatal("the server sent more after its close frame")
	}
}
