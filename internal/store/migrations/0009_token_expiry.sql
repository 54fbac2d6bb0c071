-- Every API token now expires (90 days by default, a year at most). Tokens
-- made before without an expiry get one a year from the upgrade, so a
-- forgotten token stops on its own while the scripts using it keep
-- working long enough to be given a new one.
UPDATE api_tokens SET expires_at =
{{if .Postgres}}	to_char((now() + interval '365 days') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
{{else}}	strftime('%Y-%m-%dT%H:%M:%fZ', 'now', '+365 days')
{{end}}WHERE expires_at IS NULL AND revoked_at IS NULL;
