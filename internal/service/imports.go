package service

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"time"
)

// ErrBusy: the server is at its limit for this kind of work (imports);
// try again shortly. The web layer answers 429 with Retry-After.
var ErrBusy = errors.New("busy")

// ErrImportRunning: the caller already has an import in progress; one
// person runs one import at a time.
var ErrImportRunning = errors.New("an import of this user is running")

// ImportGate bounds the file imports (parsing and writing an uploaded file)
// an instance runs at once, and lets each user run one at a time, so a few
// large or hostile files cannot take every core and the memory of the
// instance from the others.
type ImportGate struct {
	slots chan struct{}
	wait  time.Duration // how long a request waits for a slot before ErrBusy

	mu      sync.Mutex
	running map[int64]bool // by user id
}

// NewImportGate allows n imports at once (n <= 0: one per core, at least
// two); a request waits up to wait for a free slot.
func NewImportGate(n int, wait time.Duration) *ImportGate {
	if n <= 0 {
		n = max(2, runtime.GOMAXPROCS(0))
	}
	return &ImportGate{slots: make(chan struct{}, n), wait: wait, running: map[int64]bool{}}
}

// Enter takes a slot for user's import (user 0: no per-user check), waiting up to the gate's wait (or
// until ctx ends when queue is true, for background jobs that show their
// place as "queued"). It fails with ErrImportRunning when the user already
// holds one, ErrBusy when no slot freed in time. The caller runs release
// when the import ends.
func (g *ImportGate) Enter(ctx context.Context, user int64, queue bool) (release func(), err error) {
	leave := func() {}
	if user != 0 { // 0: a background job, whose owner the job table checks
		g.mu.Lock()
		if g.running[user] {
			g.mu.Unlock()
			return nil, ErrImportRunning
		}
		g.running[user] = true
		g.mu.Unlock()
		leave = func() {
			g.mu.Lock()
			delete(g.running, user)
			g.mu.Unlock()
		}
	}
	var timeout <-chan time.Time
	if !queue {
		t := time.NewTimer(g.wait)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case g.slots <- struct{}{}:
		var once sync.Once
		return func() { once.Do(func() { <-g.slots; leave() }) }, nil
	case <-timeout:
		leave()
		return nil, ErrBusy
	case <-ctx.Done():
		leave()
		return nil, ctx.Err()
	}
}
