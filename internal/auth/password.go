package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"runtime"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"khienso/internal/validation"
)

// Argon2id parameters (RFC 9106's second recommended option, with 64 MiB).
const (
	argonTime    = 3
	argonMemory  = 64 * 1024
	argonThreads = 2
	argonKeyLen  = 32
	saltLen      = 16
)

// Test binaries hash with a cheap parameter set (64 KiB, one pass) so
// that hundreds of sign-ins cost milliseconds. testing.Testing is false in
// every other binary, so the product can never select these parameters, and
// CheckPassword refuses hashes this weak outside tests.
const (
	testArgonTime   = 1
	testArgonMemory = 64
)

// argonParams are the parameters new hashes use.
func argonParams() (time, memory uint32) {
	if testing.Testing() {
		return testArgonTime, testArgonMemory
	}
	return argonTime, argonMemory
}

// ErrBusy: the instance is computing as many password hashes as it may
// and none freed in time; the caller answers "try again shortly".
var ErrBusy = errors.New("too many password checks at once")

// hashSlots bounds the argon2id computations running at once: each takes
// 64 MiB and argonThreads cores, so a flood of sign-ins queues here instead
// of taking the memory and every core of the instance. hashWait is how
// long an attempt queues before ErrBusy.
var (
	hashSlots = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)/argonThreads))
	hashWait  = 2 * time.Second
)

// withHashSlot runs fn in a hash slot, or fails with ErrBusy.
func withHashSlot(fn func()) error {
	t := time.NewTimer(hashWait)
	defer t.Stop()
	select {
	case hashSlots <- struct{}{}:
	case <-t.C:
		return ErrBusy
	}
	defer func() { <-hashSlots }()
	fn()
	return nil
}

// HashPassword returns an argon2id hash in the PHC string format.
func HashPassword(password string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	t, m := argonParams()
	var key []byte
	if err := withHashSlot(func() { key = argon2.IDKey([]byte(password), salt, t, m, argonThreads, argonKeyLen) }); err != nil {
		return "", err
	}
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, argonThreads,
		b64.EncodeToString(salt), b64.EncodeToString(key)), nil
}

// ErrBadHash is returned for a stored hash that cannot be read.
var ErrBadHash = errors.New("unreadable password hash")

// CheckPassword reports whether password matches the PHC-format hash.
func CheckPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, ErrBadHash
	}
	var version int
	var mem uint32
	var t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, ErrBadHash
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, ErrBadHash
	}
	// A hash weaker than the product makes (the test set) or absurdly
	// costly (a planted row) is refused rather than computed.
	if (!testing.Testing() && (mem < argonMemory || t < argonTime)) || mem > 4*argonMemory || t > 10 || p == 0 || p > 16 {
		return false, ErrBadHash
	}
	b64 := base64.RawStdEncoding
	salt, err1 := b64.DecodeString(parts[4])
	want, err2 := b64.DecodeString(parts[5])
	if err1 != nil || err2 != nil || len(want) == 0 || len(want) > 64 || len(salt) > 64 {
		return false, ErrBadHash
	}
	var got []byte
	if err := withHashSlot(func() { got = argon2.IDKey([]byte(password), salt, t, mem, p, uint32(len(want))) }); err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// MinPasswordLen is the shortest password accepted.
const MinPasswordLen = 10

// ValidatePassword checks a new password's strength.
func ValidatePassword(field, pw string) error {
	switch {
	case !utf8.ValidString(pw):
		return validation.Single(field, "err.encoding")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return validation.Single(field, "err.password_short", MinPasswordLen)
	case len(pw) > 256:
		return validation.Single(field, "err.too_long", 256)
	}
	return nil
}

// RandomToken returns n random bytes as URL-safe text.
func RandomToken(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error()) // the platform is broken; nothing safe to do
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// GeneratePassword returns a random password that is easy to type.
func GeneratePassword() string {
	const alphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic("crypto/rand failed: " + err.Error())
	}
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:4]) + "-" + string(b[4:8]) + "-" + string(b[8:12]) + "-" + string(b[12:])
}
