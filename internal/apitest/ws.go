package apitest

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/coder/websocket/wsjson"
)

// WS is a client of the graphql-transport-ws protocol.
type WS struct {
	conn *websocket.Conn
	next atomic.Int64
}

// wsMessage is a protocol message in either direction.
type wsMessage struct {
	ID      string          `json:"id,omitempty"`
	Type    string          `json:"type"`
	Payload json.RawMessage `json:"payload,omitempty"`
}

// DialWS connects and sends connection_init with the API key in its payload; it returns the connection once the
// server acknowledged, or the error the server closed with.
func (e *Env) DialWS(ctx context.Context, apiKey string) (*WS, error) {
	return e.dialWS(ctx, &websocket.DialOptions{}, map[string]string{"Authorization": "Bearer " + apiKey})
}

// dialWS connects with opts and sends connection_init with init as its payload.
func (e *Env) dialWS(ctx context.Context, opts *websocket.DialOptions, init map[string]string) (*WS, error) {
	url := "ws" + strings.TrimPrefix(e.Server.URL, "http") + "/graphql"
	opts.Subprotocols = []string{"graphql-transport-ws"}
	conn, _, err := websocket.Dial(ctx, url, opts)
	if err != nil {
		return nil, err
	}
	ws := &WS{conn: conn}
	payload, _ := json.Marshal(init)
	if err := wsjson.Write(ctx, conn, wsMessage{Type: "connection_init", Payload: payload}); err != nil {
		return nil, err
	}
	msg, err := ws.Read(ctx)
	if err != nil {
		return nil, err
	}
	if msg.Type != "connection_ack" {
		return nil, fmt.Errorf("apitest: expected connection_ack, got %s %s", msg.Type, msg.Payload)
	}
	return ws, nil
}

// Read returns the next message, skipping pings (answered) and pongs.
func (ws *WS) Read(ctx context.Context) (wsMessage, error) {
	for {
		var msg wsMessage
		if err := wsjson.Read(ctx, ws.conn, &msg); err != nil {
			return msg, err
		}
		switch msg.Type {
		case "ping":
			if err := wsjson.Write(ctx, ws.conn, wsMessage{Type: "pong"}); err != nil {
				return msg, err
			}
		case "pong":
		default:
			return msg, nil
		}
	}
}

// Subscribe starts an operation and returns its id.
func (ws *WS) Subscribe(ctx context.Context, query string, vars map[string]any) (string, error) {
	id := strconv.FormatInt(ws.next.Add(1), 10)
	payload, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	if err != nil {
		return "", err
	}
	return id, wsjson.Write(ctx, ws.conn, wsMessage{ID: id, Type: "subscribe", Payload: payload})
}

// Do runs a query or mutation over the socket and returns its single result.
func (ws *WS) Do(t testing.TB, query string, vars map[string]any) *Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := ws.Subscribe(ctx, query, vars)
	if err != nil {
		t.Fatalf("apitest: ws subscribe: %v", err)
	}
	var out *Response
	for {
		msg, err := ws.Read(ctx)
		if err != nil {
			t.Fatalf("apitest: ws read: %v", err)
		}
		if msg.ID != id {
			continue
		}
		switch msg.Type {
		case "next":
			out = &Response{}
			if err := json.Unmarshal(msg.Payload, out); err != nil {
				t.Fatalf("apitest: ws payload: %v", err)
			}
		case "error":
			out = &Response{}
			if err := json.Unmarshal(msg.Payload, &out.Errors); err != nil {
				t.Fatalf("apitest: ws error payload: %v", err)
			}
			return out
		case "complete":
			if out == nil {
				t.Fatalf("apitest: ws operation completed without a result")
			}
			return out
		}
	}
}

// Close closes the connection normally.
func (ws *WS) Close() error { return ws.conn.Close(websocket.StatusNormalClosure, "") }
