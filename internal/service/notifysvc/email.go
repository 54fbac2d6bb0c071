package notifysvc

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/mail"
	"khienso/internal/reminders"
	"khienso/internal/store"
)

// isoDay matches an argument that is a day in storage form, shown
// dd/mm/yyyy to people.
var isoDay = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}$`)

// Text is a stored notification in words, in l: Subject is a catalogue
// key and Body its arguments joined by "|".
func Text(l i18n.Lang, n store.Notification) string {
	if n.Body == "" {
		return l.T(n.Subject)
	}
	parts := strings.Split(n.Body, "|")
	args := make([]any, len(parts))
	for i, p := range parts {
		args[i] = p
		if isoDay.MatchString(p) {
			if d, err := dates.Parse(p); err == nil {
				args[i] = d.VN()
			}
		}
	}
	if !i18n.Has(n.Subject) {
		// An unknown subject (written by a newer version) still shows its
		// words rather than fmt's %!(EXTRA) noise.
		return n.Subject + ": " + strings.Join(parts, " · ")
	}
	return l.T(n.Subject, args...)
}

// Mailer e-mails the notifications that ask for it. Every instance runs
// it; each notification is claimed by one (see
// store.ClaimNotificationEmails), so each goes out once.
type Mailer struct {
	Store    *store.Store
	Outbox   reminders.Outbox // the deployment's mail server and address, read at each pass
	Instance string
	Log      *slog.Logger
	// Lease is how long a claim is reserved for this instance (10 minutes
	// when zero).
	Lease time.Duration
}

// Pass sends the pending e-mails and returns how many went out. With
// e-mail off, the pending ones are marked not to be sent: a notice that
// could not be mailed when it was made stays in the app, and is not
// mailed days later once mail is switched on.
func (m *Mailer) Pass(ctx context.Context) (int, error) {
	mailer, err := m.Outbox.Mailer(ctx)
	if err != nil {
		return 0, fmt.Errorf("notification mail server: %w", err)
	}
	if mailer == nil {
		_, err := m.Store.SkipNotificationEmails(ctx)
		return 0, err
	}
	base, err := m.Outbox.BaseURL(ctx)
	if err != nil {
		return 0, fmt.Errorf("notification links: %w", err)
	}
	lease := m.Lease
	if lease == 0 {
		lease = 10 * time.Minute
	}
	sent := 0
	for {
		batch, err := m.Store.ClaimNotificationEmails(ctx, m.Instance, lease, 50)
		if err != nil || len(batch) == 0 {
			return sent, err
		}
		failed := false
		for _, n := range batch {
			status, errText := m.send(ctx, mailer, base, n)
			switch status {
			case "sent":
				sent++
			case "failed":
				failed = true
			}
			if err := m.Store.FinishNotificationEmail(ctx, n.ID, m.Instance, status, errText); err != nil {
				return sent, err
			}
		}
		if failed {
			// The server is probably down: leave the rest to a later pass
			// rather than burning their attempts now.
			return sent, nil
		}
	}
}

// send e-mails one notification in Vietnamese (accounts keep no language
// of their own) and returns its e-mail status.
func (m *Mailer) send(ctx context.Context, mailer mail.Sender, base string, n store.NotificationEmail) (status, errText string) {
	if n.Disabled || n.Email == "" {
		return "none", ""
	}
	l := i18n.VI
	text := Text(l, n.Notification)
	link := strings.TrimSuffix(base, "/") + "/notifications"
	if n.Link != "" && strings.HasPrefix(n.Link, "/") && !strings.HasPrefix(n.Link, "//") {
		link = strings.TrimSuffix(base, "/") + n.Link
	}
	msg := mail.Message{
		To:      []string{n.Email},
		Subject: l.T("notif.email.subject", clip(text, 150)),
		Text:    l.T("notif.email.body", n.Name, text, link),
		Headers: map[string]string{"X-Khienso-Notification": fmt.Sprintf("%d", n.ID)},
	}
	if err := mailer.Send(ctx, msg); err != nil {
		if m.Log != nil {
			m.Log.Warn("e-mail notification", "notification", n.ID, "user", n.UserID, "err", err)
		}
		if mail.Permanent(err) {
			return "rejected", err.Error()
		}
		return "failed", err.Error()
	}
	return "sent", ""
}

// clip cuts s to at most n characters, marking the cut.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
