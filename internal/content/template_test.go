package content_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/marketingos/marketingos/internal/content"
)

func TestTemplateGenerate(t *testing.T) {
	long := product
	long.Description = strings.Repeat("A very detailed description sentence. ", 200)
	long.USP = strings.Repeat("An unusually long selling point ", 20)
	bare := content.Product{Name: "Ledgerly"}

	tests := []struct {
		name string
		req  content.Request
	}{
		{"full product, every platform", content.Request{Product: product}},
		{"offer with pricing", content.Request{Product: product, Kind: "offer", Platforms: []string{content.X, content.Facebook}}},
		{"very long fields stay within the limits", content.Request{Product: long}},
		{"name only", content.Request{Product: bare, Kind: "tip"}},
		{"unknown kind", content.Request{Product: product, Kind: "case_study"}},
	}
	gen := content.NewTemplate()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := gen.Generate(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			again, _ := gen.Generate(context.Background(), tt.req)
			if !reflect.DeepEqual(d, again) {
				t.Error("two calls with the same request gave different drafts")
			}
			if d.Generator != content.GeneratorTemplate || d.Model != content.TemplateModel {
				t.Errorf("generator/model = %q/%q, want template/template-v1", d.Generator, d.Model)
			}
			want := tt.req.Platforms
			if len(want) == 0 {
				want = content.Platforms
			}
			if len(d.Variants) != len(want) {
				t.Fatalf("variants = %d, want %d", len(d.Variants), len(want))
			}
			for i, v := range d.Variants {
				if v.Platform != want[i] {
					t.Errorf("variant %d platform = %q, want %q", i, v.Platform, want[i])
				}
				if !strings.Contains(v.Text, tt.req.Product.Name) {
					t.Errorf("%s variant does not name the product: %q", v.Platform, v.Text)
				}
			}
			if v := content.Check(d, nil); v.Score != 100 {
				t.Errorf("guards score = %d, issues %q; template posts must pass the guards", v.Score, v.Issues)
			}
		})
	}
}

func TestTemplateContent(t *testing.T) {
	gen := content.NewTemplate()
	offer, _ := gen.Generate(context.Background(), content.Request{Product: product, Kind: "offer", Platforms: []string{content.LinkedIn}})
	if text := offer.Variants[0].Text; !strings.Contains(text, "monthly 29 EUR") || !strings.Contains(text, product.URL) {
		t.Errorf("offer does not state the pricing and the URL: %q", text)
	}
	if offer.Kind != "offer" || !strings.Contains(offer.Title, "Offer") {
		t.Errorf("kind/title = %q/%q", offer.Kind, offer.Title)
	}
	x, _ := gen.Generate(context.Background(), content.Request{Product: product, Kind: "tip", Platforms: []string{content.X}})
	if n := utf8.RuneCountInString(content.Render(x.Variants[0])); n > 280 {
		t.Errorf("X post is %d characters", n)
	}
	// The rotation: with no kind, the number of recent posts picks it, and the featured feature moves on.
	first, _ := gen.Generate(context.Background(), content.Request{Product: product, Platforms: []string{content.LinkedIn}})
	second, _ := gen.Generate(context.Background(), content.Request{Product: product, Platforms: []string{content.LinkedIn},
		Recent: []string{first.Variants[0].Text}})
	if first.Kind != content.Kinds[0] || second.Kind != content.Kinds[1] {
		t.Errorf("kinds = %q, %q; want %q, %q", first.Kind, second.Kind, content.Kinds[0], content.Kinds[1])
	}
	if !strings.Contains(first.Variants[0].Text, "Spotlight: "+product.Features[0]) ||
		!strings.Contains(second.Variants[0].Text, "Spotlight: "+product.Features[1]) {
		t.Errorf("feature spotlight does not rotate:\n%s\n---\n%s", first.Variants[0].Text, second.Variants[0].Text)
	}
}

func TestNextKind(t *testing.T) {
	tests := []struct {
		previous []string
		want     string
	}{
		{nil, "educational"},
		{[]string{"educational"}, "offer"},
		{[]string{"educational", "offer", "testimonial", "tip"}, "behind_the_scenes"},
		{[]string{"educational", "offer", "testimonial", "tip", "behind_the_scenes"}, "educational"},
		{[]string{"offer", "educational", "testimonial", "tip", "behind_the_scenes"}, "offer"},
		{[]string{"Educational", " OFFER ", "case_study"}, "testimonial"},
		{[]string{"tip", "tip", "tip"}, "educational"},
	}
	for _, tt := range tests {
		if got := content.NextKind(tt.previous); got != tt.want {
			t.Errorf("NextKind(%q) = %q, want %q", tt.previous, got, tt.want)
		}
	}
}
