// Package reminders sends report-deadline reminders: in the app and by
// e-mail, a week before, the day before and after the deadline. Every app
// instance runs the same pass; the database decides which instance sends
// each reminder, so each goes out once.
package reminders

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"khienso/internal/dates"
	"khienso/internal/i18n"
	"khienso/internal/mail"
	"khienso/internal/store"
)

// Outbox says how e-mail leaves at the moment of a pass: the deployment's
// settings may change while the server runs (settingsvc.Service is the
// product's Outbox).
type Outbox interface {
	// Mailer is the sender to use now; nil when e-mail is off.
	Mailer(ctx context.Context) (mail.Sender, error)
	// BaseURL is the public address for links in e-mails.
	BaseURL(ctx context.Context) (string, error)
}

// Fixed is an Outbox that never changes: a sender (nil: none) and an
// address.
type Fixed struct {
	Sender mail.Sender
	Base   string
}

func (f Fixed) Mailer(context.Context) (mail.Sender, error) { return f.Sender, nil }
func (f Fixed) BaseURL(context.Context) (string, error)     { return f.Base, nil }

// Runner is one instance's reminder sender.
type Runner struct {
	Store    *store.Store
	Outbox   Outbox // nil: in-app notifications only
	Instance string // unique per process, recorded on claims
	Log      *slog.Logger
	// Lease is how long a claimed reminder is reserved for this instance
	// before another may retry it (a crash between claim and send).
	Lease time.Duration
}

// Pass schedules what is due today and sends what is pending. It returns
// how many e-mails this instance sent.
func (r *Runner) Pass(ctx context.Context, today dates.Date) (int, error) {
	if _, err := r.Store.ScheduleReminders(ctx, today); err != nil {
		return 0, fmt.Errorf("schedule reminders: %w", err)
	}
	if r.Outbox == nil {
		return 0, nil
	}
	mailer, err := r.Outbox.Mailer(ctx)
	if err != nil {
		return 0, fmt.Errorf("reminder mail server: %w", err)
	}
	if mailer == nil {
		return 0, nil
	}
	base, err := r.Outbox.BaseURL(ctx)
	if err != nil {
		return 0, fmt.Errorf("reminder links: %w", err)
	}
	lease := r.Lease
	if lease == 0 {
		lease = 10 * time.Minute
	}
	sent := 0
	for {
		batch, err := r.Store.ClaimReminders(ctx, r.Instance, lease, 50)
		if err != nil {
			return sent, err
		}
		if len(batch) == 0 {
			return sent, nil
		}
		failed := false
		for _, rem := range batch {
			status, errText := r.send(ctx, mailer, base, rem)
			switch status {
			case "sent":
				sent++
			case "failed":
				failed = true
			}
			if err := r.Store.FinishReminder(ctx, rem.ID, r.Instance, status, errText); err != nil {
				return sent, err
			}
		}
		if failed {
			// The server is probably down: leave the rest to a later
			// pass rather than burning their attempts now.
			return sent, nil
		}
	}
}

func (r *Runner) send(ctx context.Context, mailer mail.Sender, base string, rem store.Reminder) (status, errText string) {
	if len(rem.Emails) == 0 {
		return "no_recipient", ""
	}
	l := i18n.VI
	link := fmt.Sprintf("%s/reports/rounds/%d/units/%d", base, rem.RoundID, rem.UnitID)
	msg := mail.Message{
		To:      rem.Emails,
		Subject: l.T("reminder.email.subject."+store.ReminderTopic(rem.Kind), rem.Round, rem.Deadline.VN()),
		Text:    l.T("reminder.email.body", rem.UnitName, rem.Round, rem.Deadline.VN(), link),
		Headers: map[string]string{"X-Khienso-Reminder": fmt.Sprintf("%d", rem.ID)},
	}
	if err := mailer.Send(ctx, msg); err != nil {
		if r.Log != nil {
			r.Log.Warn("send reminder", "reminder", rem.ID, "unit", rem.UnitID, "err", err)
		}
		if mail.Permanent(err) {
			// Retrying cannot help (bad address, rejected): keep the error
			// and stop, instead of mailing the others again and again.
			return "rejected", err.Error()
		}
		return "failed", err.Error()
	}
	return "sent", ""
}
