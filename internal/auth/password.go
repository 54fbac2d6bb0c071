package auth

import (
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"github.com/trustelem/zxcvbn"

	"khienso/internal/textnorm"
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

// MaxPasswordLen bounds a password's bytes (a passphrase fits easily).
const MaxPasswordLen = 256

// strengthRunes is how much of a password the guessability estimate reads:
// its cost grows faster than linearly with the length, and a password whose
// first 64 characters are easy to guess is easy to guess.
const strengthRunes = 64

// minGuessScore is the lowest zxcvbn score accepted (3: about 10^8
// guesses or more), which refuses breached and common passwords, keyboard
// walks, sequences, dates and a dictionary word with a predictable suffix,
// while a random 10-character password or a passphrase passes.
const minGuessScore = 3

//go:embed weak_passwords_vi.txt
var weakVI string

// localWeak holds the Vietnamese favourites and the product's own words,
// which the English frequency lists of the estimator do not know; each
// line is also refused as the whole password.
var localWeak = func() []string {
	var out []string
	for _, l := range strings.Split(weakVI, "\n") {
		if l = strings.TrimSpace(l); l != "" && !strings.HasPrefix(l, "#") {
			out = append(out, textnorm.Fold(l))
		}
	}
	return out
}()

// PasswordContext is what a new password must not be made from: the
// account's e-mail and name, and the password it replaces (empty when
// unknown, as for a new account).
type PasswordContext struct {
	Email, Name, Current string
}

// ValidatePassword checks a new password in the spirit of NIST SP 800-63B:
// long enough, not the current one, not built from the account's e-mail or
// name, and not common or easy to guess. It imposes no composition rules.
func ValidatePassword(field, pw string, c PasswordContext) error {
	switch {
	case !utf8.ValidString(pw):
		return validation.Single(field, "err.encoding")
	case utf8.RuneCountInString(pw) < MinPasswordLen:
		return validation.Single(field, "err.password_short", MinPasswordLen)
	case len(pw) > MaxPasswordLen:
		return validation.Single(field, "err.too_long", MaxPasswordLen)
	case c.Current != "" && pw == c.Current:
		return validation.Single(field, "auth.err.password_same")
	case personal(pw, c):
		return validation.Single(field, "err.password_personal")
	case weak(pw, c):
		return validation.Single(field, "err.password_weak")
	}
	return nil
}

// personal reports whether pw contains the e-mail's local part or the
// whole name (letters and digits only, without diacritics).
func personal(pw string, c PasswordContext) bool {
	p := alnum(pw)
	local, _, _ := strings.Cut(c.Email, "@")
	for _, part := range []string{alnum(local), alnum(c.Name)} {
		if len(part) >= 4 && strings.Contains(p, part) {
			return true
		}
	}
	return false
}

// weak reports whether pw is one of the local favourites or scores below
// minGuessScore, with the account's words counted as known.
func weak(pw string, c PasswordContext) bool {
	folded := textnorm.Fold(pw)
	if slices.Contains(localWeak, folded) {
		return true
	}
	inputs := slices.Clone(localWeak)
	local, domain, _ := strings.Cut(strings.ToLower(c.Email), "@")
	inputs = append(inputs, local, domain)
	inputs = append(inputs, strings.Fields(textnorm.Fold(c.Name))...)
	head := []rune(folded)
	if len(head) > strengthRunes {
		head = head[:strengthRunes]
	}
	return zxcvbn.PasswordStrength(string(head), inputs).Score < minGuessScore
}

// alnum is s folded to lower-case ASCII letters and digits.
func alnum(s string) string {
	var b strings.Builder
	for _, r := range textnorm.Fold(s) {
		if r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
		}
	}
	return b.String()
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
