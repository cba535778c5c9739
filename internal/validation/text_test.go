package validation

import "testing"

func TestTextIn(t *testing.T) {
	tests := []struct {
		name     string
		v        any
		wantPath string
		wantOK   bool
	}{
		{"plain", map[string]any{"a": "b", "n": 1.0, "l": []any{"x", nil, true}}, "in", true},
		{"NUL in a value", map[string]any{"a": map[string]any{"b": "x\x00"}}, "in.a.b", false},
		{"NUL in a list", map[string]any{"a": []any{"ok", "\x00"}}, "in.a.1", false},
		{"NUL in a key", map[string]any{"a\x00": "b"}, "in", false},
		{"invalid UTF-8", "\xff", "in", false},
		{"U+FFFD is text", "\uFFFD", "in", true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if path, ok := TextIn(tc.v, "in"); ok != tc.wantOK || (!ok && path != tc.wantPath) {
				t.Errorf("TextIn = %q, %v; want %q, %v", path, ok, tc.wantPath, tc.wantOK)
			}
		})
	}
}
