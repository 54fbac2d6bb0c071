package auth

import (
	"encoding/base64"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("Mật khẩu đủ dài 123")
	if err != nil {
		t.Fatal(err)
	}
	// Test binaries hash with the cheap set; the product's own set is
	// checked below by verifying a hash made with it.
	if !strings.HasPrefix(h, "$argon2id$v=19$m=64,t=1,p=2$") {
		t.Errorf("hash %q is not argon2id in PHC format with the test parameters", h)
	}
	// A hash of "Mật khẩu đủ dài 123" made with the product's parameters
	// (m=65536, t=3, p=2), as every stored account has.
	const product = "$argon2id$v=19$m=65536,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$"
	salt := []byte("saltsaltsaltsalt")
	key := argon2.IDKey([]byte("Mật khẩu đủ dài 123"), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	if ok, err := CheckPassword(product+base64.RawStdEncoding.EncodeToString(key), "Mật khẩu đủ dài 123"); !ok || err != nil {
		t.Errorf("product-parameter hash rejected: %v", err)
	}
	if _, err := CheckPassword("$argon2id$v=19$m=1048576,t=3,p=2$c2FsdHNhbHRzYWx0c2FsdA$"+base64.RawStdEncoding.EncodeToString(key), "x"); err == nil {
		t.Error("a hash asking for 1 GiB must be refused, not computed")
	}
	if ok, err := CheckPassword(h, "Mật khẩu đủ dài 123"); !ok || err != nil {
		t.Errorf("right password rejected: %v", err)
	}
	if ok, _ := CheckPassword(h, "Mật khẩu đủ dài 124"); ok {
		t.Error("wrong password accepted")
	}
	h2, _ := HashPassword("Mật khẩu đủ dài 123")
	if h == h2 {
		t.Error("two hashes of one password must differ (salt)")
	}
	for _, bad := range []string{"", "plain", "$argon2id$v=19$m=1,t=1,p=1$!!$!!", "$bcrypt$x$y$z$w"} {
		if _, err := CheckPassword(bad, "x"); err == nil {
			t.Errorf("CheckPassword(%q) should fail", bad)
		}
	}
}

func TestPolicy(t *testing.T) {
	inside := func(root, unit int64) (bool, error) { return unit == root || unit == 11, nil } // 11 is under 10
	cases := []struct {
		role   Role
		action Action
		target int64
		want   bool
	}{
		{RoleAdmin, AuditRead, 99, true},
		{RoleCoordinator, UnitStructure, 99, true},
		{RoleCoordinator, UnitRead, 99, true},
		{RoleFocalPoint, UnitWrite, 10, true},
		{RoleFocalPoint, UnitWrite, 11, true},
		{RoleFocalPoint, UnitWrite, 12, false},
		{RoleFocalPoint, UnitRead, 12, false},
		{RoleFocalPoint, UnitStructure, 10, false},
		{RoleFocalPoint, AuditRead, 10, false},
		{RoleViewer, UnitRead, 11, true},
		{RoleViewer, UnitWrite, 10, false},
		{RolePolice, UnitRead, 12, false},
		{RoleLearner, UnitRead, 10, false},
	}
	for _, c := range cases {
		p := &Principal{UnitID: 10, Roles: []Role{c.role}}
		got, err := p.Allowed(c.action, c.target, inside)
		if err != nil || got != c.want {
			t.Errorf("%s %s on %d = %v (%v), want %v", c.role, c.action, c.target, got, err, c.want)
		}
	}
	var nobody *Principal
	if ok, _ := nobody.Allowed(UnitRead, 10, inside); ok {
		t.Error("a signed-out caller may do nothing")
	}
}

func TestCanGrant(t *testing.T) {
	cases := []struct {
		actor, role Role
		want        bool
	}{
		{RoleAdmin, RoleAdmin, true},
		{RoleCoordinator, RoleAdmin, false},
		{RoleCoordinator, RoleCoordinator, true},
		{RoleFocalPoint, RoleCoordinator, false},
		{RoleFocalPoint, RoleViewer, true},
		{RoleFocalPoint, RolePolice, false},
		{RoleViewer, RoleViewer, false},
	}
	for _, c := range cases {
		p := &Principal{Roles: []Role{c.actor}}
		if got := p.CanGrant(c.role); got != c.want {
			t.Errorf("%s grants %s = %v, want %v", c.actor, c.role, got, c.want)
		}
	}
}
