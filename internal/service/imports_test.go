package service

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestImportGate(t *testing.T) {
	ctx := context.Background()
	g := NewImportGate(1, 10*time.Millisecond)
	release, err := g.Enter(ctx, 7, false)
	if err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		name  string
		user  int64
		queue bool
		want  error
	}{
		{"the same user again", 7, false, ErrImportRunning},
		{"another user, no free slot", 8, false, ErrBusy},
	}
	for _, st := range steps {
		if _, err := g.Enter(ctx, st.user, st.queue); !errors.Is(err, st.want) {
			t.Errorf("%s: %v, want %v", st.name, err, st.want)
		}
	}
	// A queued background job waits for the slot, and gets it on release.
	got := make(chan error, 1)
	go func() {
		r, err := g.Enter(ctx, 0, true)
		if err == nil {
			r()
		}
		got <- err
	}()
	release()
	release() // a second release is harmless
	if err := <-got; err != nil {
		t.Errorf("queued job: %v", err)
	}
	// User 7 may import again once the first one ended.
	r, err := g.Enter(ctx, 7, false)
	if err != nil {
		t.Fatalf("after release: %v", err)
	}
	r()
	// A queued job gives up when its context ends.
	hold, _ := g.Enter(ctx, 9, false)
	defer hold()
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := g.Enter(cctx, 0, true); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled queue: %v", err)
	}
}
