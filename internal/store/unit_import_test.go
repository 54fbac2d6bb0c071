package store_test

import (
	"context"
	"testing"
	"time"

	"khienso/internal/auth"
	"khienso/internal/store"
	"khienso/internal/store/storetest"
	"khienso/internal/units"
)

func TestImportJobs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if _, err := s.ImportJob(ctx, 999); err == nil {
			t.Error("a missing job should not be found")
		}
		root := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		user := &auth.User{Email: "a@t.vn", Name: "Người nhập", UnitID: root, Roles: []auth.Role{auth.RoleCoordinator}}
		if err := s.CreateUser(ctx, actor, user, "not-a-real-hash"); err != nil {
			t.Fatal(err)
		}
		j := &store.ImportJob{UserID: user.ID, Kind: "units", Filename: "đơn vị.xlsx", SkipInvalid: true}
		if err := s.CreateImportJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		if j.ID == 0 || j.Status != store.JobQueued {
			t.Fatalf("created: %+v", j)
		}
		j.Status, j.Total, j.Processed, j.Written, j.Report = store.JobDone, 10, 10, 7, `{"rows":10}`
		if err := s.UpdateImportJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		got, err := s.ImportJob(ctx, j.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != store.JobDone || got.Total != 10 || got.Written != 7 || !got.SkipInvalid || got.Report != `{"rows":10}` ||
			got.Filename != "đơn vị.xlsx" || !got.Finished() || got.UserID != user.ID {
			t.Errorf("job: %+v", got)
		}
		list, total, err := s.ImportJobPage(ctx, user.ID, "units", 5, 0)
		if err != nil || len(list) != 1 || list[0].ID != j.ID || total != 1 {
			t.Errorf("jobs of the user: %v %v", list, err)
		}
		if list, total, _ := s.ImportJobPage(ctx, user.ID+1, "units", 5, 0); len(list) != 0 || total != 0 {
			t.Errorf("jobs of another user: %v", list)
		}
		if err := s.UpdateImportJob(ctx, &store.ImportJob{ID: j.ID + 100, Status: store.JobDone}); err == nil {
			t.Error("updating a missing job should fail")
		}
		// Pages of one user's jobs of one kind, newest first.
		for range 2 {
			if err := s.CreateImportJob(ctx, &store.ImportJob{UserID: user.ID, Kind: "units", Filename: "b.csv"}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.CreateImportJob(ctx, &store.ImportJob{UserID: user.ID, Kind: "other", Filename: "c.csv"}); err != nil {
			t.Fatal(err)
		}
		page, total, err := s.ImportJobPage(ctx, user.ID, "units", 2, 1)
		if err != nil || total != 3 || len(page) != 2 || page[1].ID != j.ID || page[0].ID <= j.ID || page[0].Report != "[]" {
			t.Errorf("job page: %+v total %d %v", page, total, err)
		}
	})
}

// A job its instance left queued or running is marked failed once it has
// been silent long enough; finished and recently updated jobs are left.
func TestFailStaleImportJobs(t *testing.T) {
	storetest.Engines(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		root := mkUnit(t, s, "40", "Ủy ban nhân dân tỉnh Nghệ An", units.TypeProvinceCommittee, 0, "2021-01-01")
		user := &auth.User{Email: "a@t.vn", Name: "Người nhập", UnitID: root, Roles: []auth.Role{auth.RoleCoordinator}}
		if err := s.CreateUser(ctx, actor, user, "not-a-real-hash"); err != nil {
			t.Fatal(err)
		}
		jobs := map[string]*store.ImportJob{}
		for _, st := range []string{store.JobQueued, store.JobRunning, store.JobDone, store.JobFailed} {
			j := &store.ImportJob{UserID: user.ID, Kind: "units", Filename: st + ".csv"}
			if err := s.CreateImportJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			j.Status = st
			if err := s.UpdateImportJob(ctx, j); err != nil {
				t.Fatal(err)
			}
			jobs[st] = j
		}
		// Updated just now: not stale yet.
		if n, err := s.FailStaleImportJobs(ctx, time.Now().Add(-time.Hour)); err != nil || n != 0 {
			t.Fatalf("fresh jobs failed: %d %v", n, err)
		}
		if n, err := s.FailStaleImportJobs(ctx, time.Now().Add(time.Minute)); err != nil || n != 2 {
			t.Fatalf("stale jobs failed: %d, want 2 (%v)", n, err)
		}
		for st, j := range jobs {
			got, err := s.ImportJob(ctx, j.ID)
			if err != nil {
				t.Fatal(err)
			}
			switch st {
			case store.JobQueued, store.JobRunning:
				if got.Status != store.JobFailed || got.Error != store.StaleJobError {
					t.Errorf("%s job after the pass: %s %q", st, got.Status, got.Error)
				}
			default:
				if got.Status != st || got.Error != "" {
					t.Errorf("%s job changed: %s %q", st, got.Status, got.Error)
				}
			}
		}
		if n, _ := s.ActiveImportJobs(ctx, user.ID, time.Now().Add(-time.Hour)); n != 0 {
			t.Errorf("the owner still has %d active jobs", n)
		}
	})
}
