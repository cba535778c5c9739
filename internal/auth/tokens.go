package auth

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// newToken returns a random secret of 256 bits, URL-safe, for a session cookie or an invitation link.
func newToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// hashToken is the stored form of a token: hex SHA-256. Tokens are random, so no salt or slow hash is needed; the
// row is found by its hash, so a copy of the database holds nothing that signs anyone in.
func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// GeneratePassword returns a random password of 20 URL-safe characters (120 bits), for a password printed once.
func GeneratePassword() string { return newToken()[:20] }

// NewToken returns a new random secret for a link (an invitation's), in the form of session tokens.
func NewToken() string { return newToken() }

// HashToken returns the stored form of a token made by NewToken: rows are found by it, never by the token.
func HashToken(token string) string { return hashToken(token) }
