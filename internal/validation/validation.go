// Package validation describes bad input in a way every edge understands: the field that is wrong and why.
// GraphQL turns it into BAD_USER_INPUT with the field; REST handlers into a 400 JSON error body.
package validation

import "fmt"

// Error says which input field is wrong.
type Error struct {
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Field + ": " + e.Message }

// Field returns an *Error for field.
func Field(field, format string, args ...any) error {
	return &Error{Field: field, Message: fmt.Sprintf(format, args...)}
}
