#!/usr/bin/env bash
# Load test of an authenticated API read against a minimal Go "hello" server,
# measured in the same run on the same machine (see docs/benchmarks.md).
#
#   scripts/bench-api-read.sh            # 3 rounds of 15 s per target, 64 connections
#   DURATION=30s ROUNDS=1 CONNS=64 THREADS=2 scripts/bench-api-read.sh
#
# Builds /tmp/khienso and /tmp/hello, starts `khienso serve --demo` on a
# temporary SQLite database on loopback, creates an API token for the demo
# administrator with `khienso token create`, then runs wrk against
# GET /api/v1/units/{id} (a commune of the demo province) with that Bearer
# token, and against the hello server, alternating, ROUNDS times. Prints
# each run, the median req/s and p99 of each target, and the ratio.
# Needs wrk (apt-get install -y wrk) and curl.
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${DURATION:-15s}
ROUNDS=${ROUNDS:-3}
CONNS=${CONNS:-64}
THREADS=${THREADS:-2}
KS_ADDR=${KS_ADDR:-127.0.0.1:18090}
HELLO_ADDR=${HELLO_ADDR:-127.0.0.1:18091}
UNIT_CODE=${UNIT_CODE:-} # default: the first commune the API lists

for c in wrk curl go; do
	command -v "$c" >/dev/null || { echo "bench-api-read: $c is required" >&2; exit 1; }
done

go build -o /tmp/khienso ./cmd/khienso
go build -o /tmp/hello ./scripts/hello

tmp=$(mktemp -d)
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap cleanup EXIT

wait_up() { # url
	for _ in $(seq 1 300); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return 0
		sleep 0.2
	done
	echo "bench-api-read: $1 did not come up" >&2
	return 1
}

/tmp/khienso serve --demo --db "$tmp/khienso.db" --addr "$KS_ADDR" >"$tmp/serve.log" 2>&1 &
pids+=($!)
/tmp/hello --addr "$HELLO_ADDR" >"$tmp/hello.log" 2>&1 &
pids+=($!)
wait_up "http://$KS_ADDR/healthz" || { cat "$tmp/serve.log" >&2; exit 1; }
wait_up "http://$HELLO_ADDR/"

# A token made by the CLI needs no password change (that gate is for the
# web pages only) and is what an integration would use.
token=$(/tmp/khienso token create --db "$tmp/khienso.db" --user admin@demo.khienso.vn --name bench)

api() { curl -fsS -H "Authorization: Bearer $token" "http://$KS_ADDR$1"; }
if [ -n "$UNIT_CODE" ]; then
	list=$(api "/api/v1/units?q=$UNIT_CODE&limit=1")
else
	list=$(api "/api/v1/units?type=commune&limit=1")
fi
id=$(printf '%s' "$list" | grep -o '"id":[0-9]*' | head -1 | cut -d: -f2)
[ -n "$id" ] || { echo "bench-api-read: no unit found: $list" >&2; exit 1; }
url="http://$KS_ADDR/api/v1/units/$id"
status=$(curl -s -o "$tmp/unit.json" -w '%{http_code}' -H "Authorization: Bearer $token" "$url")
[ "$status" = 200 ] || { echo "bench-api-read: $url answered $status" >&2; cat "$tmp/unit.json" >&2; exit 1; }

# run NAME URL [wrk args…]: one wrk run; appends "rps p99_ms" to $tmp/NAME.
run() {
	local name=$1 target=$2
	shift 2
	wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency "$@" "$target" | tee "$tmp/$name.out"
	if grep -q 'Non-2xx' "$tmp/$name.out"; then
		echo "bench-api-read: $name answered errors" >&2
		exit 1
	fi
	awk '/^Requests\/sec:/ {rps = $2}
		$1 == "99%" {v = $2; if (v ~ /us$/) {sub(/us$/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms$/, "", v)} else if (v ~ /s$/) {sub(/s$/, "", v); v *= 1000}; p99 = v}
		END {print rps, p99}' "$tmp/$name.out" >>"$tmp/$name"
}

# A short warm-up so both servers start hot (connections, prepared
# statements, caches), then ROUNDS alternating runs so that a neighbour's
# burst of load on a shared machine does not land on one target only.
wrk -t"$THREADS" -c"$CONNS" -d2s "http://$HELLO_ADDR/" >/dev/null
wrk -t"$THREADS" -c"$CONNS" -d2s -H "Authorization: Bearer $token" "$url" >/dev/null
for round in $(seq 1 "$ROUNDS"); do
	echo "== round $round/$ROUNDS: hello, http://$HELLO_ADDR/"
	run hello "http://$HELLO_ADDR/"
	echo "== round $round/$ROUNDS: khienso, GET /api/v1/units/$id with a Bearer token"
	run api "$url" -H "Authorization: Bearer $token"
done

# median FILE COLUMN
median() { awk -v c="$2" '{print $c}' "$1" | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
echo
echo "khienso $(git describe --always --dirty 2>/dev/null || echo '?'), $(nproc) cores, wrk -t$THREADS -c$CONNS -d$DURATION, $ROUNDS rounds"
echo "per round (req/s p99_ms): hello $(paste -sd, "$tmp/hello" | sed 's/,/; /g') | khienso $(paste -sd, "$tmp/api" | sed 's/,/; /g')"
awk -v h="$(median "$tmp/hello" 1)" -v hp="$(median "$tmp/hello" 2)" -v a="$(median "$tmp/api" 1)" -v ap="$(median "$tmp/api" 2)" 'BEGIN {
	printf "%-8s %12s %10s   (medians)\n", "target", "req/s", "p99 ms"
	printf "%-8s %12.0f %10.2f\n", "hello", h, hp
	printf "%-8s %12.0f %10.2f\n", "khienso", a, ap
	printf "ratio khienso/hello: %.2f\n", a / h
}'
