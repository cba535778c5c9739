// Package prefixed provides the type-prefixed, globally unique string IDs of every entity ("prd_01j…"), so that any
// ID names its type and `node(id:)` can resolve it without a lookup table.
package prefixed

import (
	"crypto/rand"
	"strings"
	"sync"
	"time"

	"entgo.io/ent"
	"entgo.io/ent/schema"
	"entgo.io/ent/schema/field"
	"entgo.io/ent/schema/mixin"
	"github.com/oklog/ulid/v2"
)

// Separator sits between the type prefix and the ULID.
const Separator = "_"

var (
	entropyMu sync.Mutex
	entropy   = ulid.Monotonic(rand.Reader, 0)
)

// New returns a fresh ID with the given prefix: time-ordered, so that IDs sort by creation. The ULID is written in
// lower case straight into the ID, without the intermediate strings (every tracked hit takes two IDs).
func New(prefix string) string {
	entropyMu.Lock()
	id := ulid.MustNew(ulid.Timestamp(time.Now()), entropy)
	entropyMu.Unlock()
	b := make([]byte, len(prefix)+len(Separator)+ulid.EncodedSize)
	n := copy(b, prefix)
	n += copy(b[n:], Separator)
	_ = id.MarshalTextTo(b[n:]) // cannot fail: b[n:] is EncodedSize long
	for i := n; i < len(b); i++ {
		if 'A' <= b[i] && b[i] <= 'Z' {
			b[i] += 'a' - 'A'
		}
	}
	return string(b)
}

// Prefix returns the type prefix of id ("prd" for "prd_01j…"), or "" when id has none.
func Prefix(id string) string {
	p, _, ok := strings.Cut(id, Separator)
	if !ok {
		return ""
	}
	return p
}

// Annotation records an entity's prefix so that the code generator can map prefixes back to tables.
type Annotation struct {
	Prefix string
}

// Name implements schema.Annotation.
func (Annotation) Name() string { return "Prefixed" }

// Mixin gives an entity a prefixed string ID.
func Mixin(prefix string) ent.Mixin { return idMixin{prefix: prefix} }

type idMixin struct {
	mixin.Schema
	prefix string
}

func (m idMixin) Fields() []ent.Field {
	return []ent.Field{
		field.String("id").
			MaxLen(40).
			NotEmpty().
			Immutable().
			DefaultFunc(func() string { return New(m.prefix) }),
	}
}

func (m idMixin) Annotations() []schema.Annotation {
	return []schema.Annotation{Annotation{Prefix: m.prefix}}
}
