// Package audit describes the append-only record of every change: who made
// it, when, what, and the state before and after. Storage writes an entry in
// the same transaction as the change it records.
package audit

import (
	"encoding/json"
	"time"
)

// Actor is who makes a change. UserID is 0 for the system itself (migrations,
// the demo loader, command-line tools run without a user).
type Actor struct {
	UserID int64
	Label  string // e-mail, or a name such as "system" or "cli"
	IP     string
}

// System is the actor for changes made by the product itself.
var System = Actor{Label: "system"}

// Entry is one recorded change.
type Entry struct {
	ID       int64           `json:"id"`
	At       time.Time       `json:"at"`
	UserID   int64           `json:"user_id,omitempty"`
	Actor    string          `json:"actor"`
	IP       string          `json:"ip,omitempty"`
	Action   string          `json:"action"`
	Entity   string          `json:"entity"`
	EntityID string          `json:"entity_id"`
	Before   json.RawMessage `json:"before,omitempty"`
	After    json.RawMessage `json:"after,omitempty"`
}

// Filter narrows a listing of the log. Zero fields do not filter.
type Filter struct {
	UserID   int64
	Actor    string // substring of the actor label
	Action   string
	Entity   string
	EntityID string
	From, To time.Time // To is exclusive
	Limit    int
	Offset   int

	// Within keeps the entries made by accounts of units under this one
	// today (0: no filter). A province's readers see what its people did;
	// the product's own entries (no account) are left out.
	Within int64
}
