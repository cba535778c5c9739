package graph

import (
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
)

// embeddedValues are the object types without an id that belong to one parent with an id: a cache keeps them inside
// that parent (type → the parent's field that holds them).
var embeddedValues = map[string]string{
	"Budget":               "Campaign.budget",
	"CampaignPerformance":  "Campaign.performance",
	"Targeting":            "Campaign.targeting",
	"Creative":             "Campaign.creatives",
	"ContentVariant":       "Content.variants",
	"DashboardPoint":       "Dashboard.series",
	"DashboardSource":      "Dashboard.topSources",
	"AttributionReportRow": "AttributionReport.rows",
}

// mutationPayloads are the answers of one mutation each, never returned by a query or a subscription.
var mutationPayloads = map[string]string{
	"CreatedApiKey": "Mutation.createApiKey",
	"WebhookReplay": "Mutation.replayWebhook",
}

// TestObjectTypesHaveIdentity keeps every object type of the served schema mergeable by client caches (Relay,
// Apollo): it has an id, or it is an embedded value reached through exactly one field of a parent with an id (and
// says so in its description), a Relay connection, edge or PageInfo, or one mutation's payload. A new type without
// an id that a query or subscription returns fails here.
func TestObjectTypesHaveIdentity(t *testing.T) {
	schema := servedSchema()
	roots := map[string]bool{"Query": true, "Mutation": true, "Subscription": true}
	hasID := func(def *ast.Definition) bool {
		f := def.Fields.ForName("id")
		return f != nil && f.Type.String() == "ID!"
	}
	// usedBy lists the "Type.field" of every field whose (list-unwrapped) type is name.
	usedBy := func(name string) []string {
		var out []string
		for _, def := range schema.Types {
			if def.Kind != ast.Object && def.Kind != ast.Interface {
				continue
			}
			for _, f := range def.Fields {
				if f.Type.Name() == name && !strings.HasPrefix(f.Name, "__") {
					out = append(out, def.Name+"."+f.Name)
				}
			}
		}
		return out
	}
	for name, def := range schema.Types {
		if def.Kind != ast.Object || def.BuiltIn || strings.HasPrefix(name, "__") || roots[name] {
			continue
		}
		if hasID(def) {
			if _, listed := embeddedValues[name]; listed {
				t.Errorf("%s has an id now: remove it from embeddedValues", name)
			}
			continue
		}
		switch {
		case strings.HasSuffix(name, "Connection") || strings.HasSuffix(name, "Edge") || name == "PageInfo":
			// Relay's store and Apollo's relayStylePagination key connections by their field and arguments.
		case embeddedValues[name] != "":
			parent, _, _ := strings.Cut(embeddedValues[name], ".")
			if uses := usedBy(name); len(uses) != 1 || uses[0] != embeddedValues[name] {
				t.Errorf("%s is an embedded value of %s, but it is reached through %v: it needs an id", name, embeddedValues[name], uses)
			}
			if p := schema.Types[parent]; p == nil || !hasID(p) {
				t.Errorf("%s is embedded in %s, which has no id", name, parent)
			}
			if !strings.HasPrefix(def.Description, "Embedded in "+parent) && !strings.Contains(def.Description, "\nEmbedded in "+parent) {
				t.Errorf("%s's description does not say it is embedded in %s (client developers read it in schema.graphqls): %q", name, parent, def.Description)
			}
		case mutationPayloads[name] != "":
			if uses := usedBy(name); len(uses) != 1 || uses[0] != mutationPayloads[name] {
				t.Errorf("%s is the payload of %s, but it is reached through %v: it needs an id", name, mutationPayloads[name], uses)
			}
		default:
			t.Errorf("%s has no id: give it `id: ID!` (a value computed per request: internal/valueid), or list it in embeddedValues with the one parent it belongs to", name)
		}
	}
	for name := range embeddedValues {
		if schema.Types[name] == nil {
			t.Errorf("embeddedValues lists %s, which the schema does not have", name)
		}
	}
}
