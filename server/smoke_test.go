package server_test

import (
	"context"
	"testing"
	"time"

	"github.com/marketingos/marketingos/internal/apitest"
)

func TestViewerOverHTTPAndWebSocket(t *testing.T) {
	env := apitest.New(t)
	org := env.NewOrg(t, "Acme")
	const q = `{ viewer { organization { id name } } }`

	var got struct {
		Viewer struct{ Organization struct{ ID, Name string } }
	}
	env.GraphQL(t, org.APIKey, q, nil).Decode(t, &got)
	if got.Viewer.Organization.ID != org.ID {
		t.Fatalf("viewer over HTTP = %q, want %q", got.Viewer.Organization.ID, org.ID)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, err := env.DialWS(ctx, org.APIKey)
	if err != nil {
		t.Fatal(err)
	}
	defer ws.Close()
	ws.Do(t, q, nil).Decode(t, &got)
	if got.Viewer.Organization.Name != "Acme" {
		t.Fatalf("viewer over WebSocket = %q, want Acme", got.Viewer.Organization.Name)
	}
}
