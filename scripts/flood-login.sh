#!/usr/bin/env bash
# Bounded login flood on loopback (docs/benchmarks.md, "Login flood"):
# starts `khienso serve --demo` (built from REV, default the work tree) and
# the hello server, then runs scripts/loginflood: WORKERS parallel
# wrong-password API logins for DURATION, once from one address and once
# spread over many e-mails and addresses (X-Forwarded-For through
# --trusted-proxies 127.0.0.1/32), so that only the bound on hashing holds it back,
# printing login outcomes, /healthz p50/p99 beside hello's, and peak RSS.
#
#   scripts/flood-login.sh
#   REV=02e0fea DURATION=20s WORKERS=50 scripts/flood-login.sh   # an older build, for "before"
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${DURATION:-20s}
WORKERS=${WORKERS:-50}
KS_ADDR=${KS_ADDR:-127.0.0.1:18090}
HELLO_ADDR=${HELLO_ADDR:-127.0.0.1:18091}

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	[ -n "${REV:-}" ] && git worktree remove --force "$tmp/src" >/dev/null 2>&1 || true
	rm -rf "$tmp"
}
trap cleanup EXIT

src=.
if [ -n "${REV:-}" ]; then
	git worktree add -q --detach "$tmp/src" "$REV"
	src="$tmp/src"
fi
(cd "$src" && go build -o "$tmp/khienso" ./cmd/khienso)
go build -o "$tmp/hello" ./scripts/hello
go build -o "$tmp/loginflood" ./scripts/loginflood

wait_up() {
	for _ in $(seq 1 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "flood-login: $1 did not come up" >&2
	return 1
}

"$tmp/hello" --addr "$HELLO_ADDR" >"$tmp/hello.log" 2>&1 &
pids+=($!)
for mode in one-address spread; do
	rm -f "$tmp"/khienso.db*
	"$tmp/khienso" serve --demo --trusted-proxies 127.0.0.1/32 --db "$tmp/khienso.db" --addr "$KS_ADDR" >"$tmp/serve.log" 2>&1 &
	ks=$!
	wait_up "http://$KS_ADDR/healthz" || { cat "$tmp/serve.log" >&2; exit 1; }
	wait_up "http://$HELLO_ADDR/"
	echo "== $mode, $WORKERS workers, $DURATION${REV:+, build $REV}"
	flags=()
	[ "$mode" = spread ] && flags+=(--spread)
	"$tmp/loginflood" --target "http://$KS_ADDR" --hello "http://$HELLO_ADDR" --pid "$ks" \
		--workers "$WORKERS" --duration "$DURATION" "${flags[@]}"
	kill "$ks"; wait "$ks" 2>/dev/null || true
done
