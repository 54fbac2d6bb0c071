package store_test

import (
	"context"
	"testing"

	"khienso/internal/audit"
	"khienso/internal/settings"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

func TestSettingsScopes(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		const nghean, hatinh = 40, 42
		steps := []struct {
			scope  int64
			values map[string]string
		}{
			{settings.DeploymentScope, map[string]string{settings.KeyPlace: "Việt Nam", settings.KeySMTPURL: "smtp://mail.example.vn:587"}},
			{nghean, map[string]string{settings.KeyPlace: "Nghệ An", settings.KeySignerName: "Nguyễn Văn Hùng"}},
			{hatinh, map[string]string{settings.KeyPlace: "Hà Tĩnh"}},
			// Unchanged keys write nothing; an empty value removes the key.
			{nghean, map[string]string{settings.KeyPlace: "Nghệ An", settings.KeySignerName: ""}},
		}
		for _, st := range steps {
			if err := s.SetSettings(ctx, actor, st.scope, st.values); err != nil {
				t.Fatalf("set %d: %v", st.scope, err)
			}
		}
		tests := []struct {
			scope     int64
			own       bool
			key, want string
		}{
			{nghean, false, settings.KeyPlace, "Nghệ An"},
			{hatinh, false, settings.KeyPlace, "Hà Tĩnh"},
			{hatinh, false, settings.KeySMTPURL, "smtp://mail.example.vn:587"}, // falls back to the deployment
			{hatinh, true, settings.KeySMTPURL, ""},                            // not its own
			{nghean, false, settings.KeySignerName, ""},                        // removed
			{99, false, settings.KeyPlace, "Việt Nam"},
		}
		for _, tc := range tests {
			read := s.Settings
			if tc.own {
				read = s.OwnSettings
			}
			got, err := read(ctx, tc.scope)
			if err != nil {
				t.Fatal(err)
			}
			if got[tc.key] != tc.want {
				t.Errorf("scope %d own=%v %s = %q, want %q", tc.scope, tc.own, tc.key, got[tc.key], tc.want)
			}
		}
		// Six changes: two, two, one, then the removal (the unchanged place wrote nothing).
		_, total, err := s.AuditLog(ctx, audit.Filter{Entity: "setting", Limit: 50})
		if err != nil || total != 6 {
			t.Errorf("audit entries for settings = %d (%v), want 6", total, err)
		}
	})
}
