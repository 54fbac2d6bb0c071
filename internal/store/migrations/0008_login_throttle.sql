-- Sign-in throttling counted atomically in the database, shared by every
-- instance: one row per key ("ip:<address>", "pair:<e-mail>|<address>",
-- "account:<e-mail>", "good:<e-mail>|<address>" for an address the account
-- signed in from). An attempt is counted before its password is checked, in
-- one statement, so parallel attempts cannot overrun a limit. Keys use the
-- e-mail as typed (normalised), whether or not an account has it, so a
-- locked account and an unknown e-mail answer alike.
CREATE TABLE login_throttle (
	key TEXT PRIMARY KEY,
	failures INTEGER NOT NULL,
	window_start TEXT NOT NULL
);
-- The per-address log and the per-account counters it replaces.
DROP TABLE login_failures;
UPDATE users SET failed_logins = 0, locked_until = NULL;
