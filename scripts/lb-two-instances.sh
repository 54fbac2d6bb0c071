#!/usr/bin/env bash
# Two `khienso serve` instances on one PostgreSQL database behind HAProxy on
# loopback (docs/deployment.md), then checks that they behave as one server:
#
#   scripts/lb-two-instances.sh              # checks, then a wrk comparison
#   BENCH=0 scripts/lb-two-instances.sh      # checks only
#
# Starts PostgreSQL with .ci/pg-start unless one answers on port 55432, sets
# up province 40 with `khienso init` in a fresh database, starts instances
# "a" and "b" (--instance names them in the X-Khienso-Instance header) and
# HAProxy (round robin, /healthz checks every 200 ms), then checks:
#   - a session signed in through the balancer serves on both instances;
#   - sign-in throttling is shared: 5 wrong passwords spread over both, then
#     the right one is refused by each instance directly;
#   - an import job started on one instance is visible from the other;
#   - the hierarchy cache is coherent: a unit created through one instance
#     is read through the other at once;
#   - kill -9 of one instance mid-write-load: every acknowledged write
#     (201) is in the database and the balancer keeps serving from the other.
# Reminders are claimed in the database by each instance's pass, so each goes
# out once (internal/reminders tests two runners on one database).
# Then, with BENCH=1 (default), wrk against GET /api/v1/units/{id} through
# the balancer over two instances and directly on one, beside the hello
# server (scripts/hello), as in scripts/bench-api-read.sh.
# Needs haproxy (apt-get install -y haproxy), curl, jq; wrk for BENCH=1.
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH=${BENCH:-1}
DURATION=${DURATION:-10s}
CONNS=${CONNS:-64}
A_ADDR=127.0.0.1:18101 B_ADDR=127.0.0.1:18102 LB_ADDR=127.0.0.1:18100 HELLO_ADDR=127.0.0.1:18103
EMAIL=quantri@lb.test PASSWORD=Lb-kiem-thu-2026-day-du

for c in haproxy curl jq go; do
	command -v "$c" >/dev/null || { echo "lb-two-instances: $c is required" >&2; exit 1; }
done

tmp=$(mktemp -d)
pids=()
started_pg=0
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
	if [ -n "${SCHEMA:-}" ]; then psql "$PG_BASE" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null 2>&1 || true; fi
	[ "$started_pg" = 1 ] && pg_stop
	rm -rf "$tmp"
}
trap cleanup EXIT

if ! pg_isready -q -h 127.0.0.1 -p 55432; then
	# shellcheck source=.ci/pg-start
	source .ci/pg-start
	started_pg=1
fi
PG_BASE="postgres://postgres@127.0.0.1:55432/postgres?sslmode=disable"
SCHEMA="lb_$(date +%s)"
psql "$PG_BASE" -qc "CREATE SCHEMA $SCHEMA"
DSN="$PG_BASE&search_path=$SCHEMA"

go build -o "$tmp/khienso" ./cmd/khienso
go build -o "$tmp/hello" ./scripts/hello
echo "$PASSWORD" | "$tmp/khienso" init --db "$DSN" --province 40 --admin-email "$EMAIL" >"$tmp/init.log"

start() { # name addr
	"$tmp/khienso" serve --db "$DSN" --addr "$2" --instance "$1" --log-format json --secure-cookies false >"$tmp/$1.log" 2>&1 &
	pids+=($!)
	eval "PID_$1=$!"
}
wait_ok() { # url
	for _ in $(seq 100); do curl -fso /dev/null "$1" && return 0; sleep 0.2; done
	echo "lb-two-instances: $1 not ready" >&2; exit 1
}
start a "$A_ADDR"
start b "$B_ADDR"
wait_ok "http://$A_ADDR/healthz"
wait_ok "http://$B_ADDR/healthz"

cat >"$tmp/haproxy.cfg" <<CFG
global
	maxconn 2048
defaults
	mode http
	timeout connect 1s
	timeout client 30s
	timeout server 30s
	# A refused connection is retried on the other server; a request
	# already sent is never replayed (no write is applied twice).
	retries 2
	option redispatch
frontend fe
	bind $LB_ADDR
	default_backend khienso
backend khienso
	balance roundrobin
	option httpchk GET /healthz
	http-check expect status 200
	default-server inter 200ms fall 2 rise 2
	server a $A_ADDR check
	server b $B_ADDR check
CFG
haproxy -db -f "$tmp/haproxy.cfg" >"$tmp/haproxy.log" 2>&1 &
pids+=($!)
LB="http://$LB_ADDR"
wait_ok "$LB/healthz"

fail=0
check() { # description, then a command that must succeed
	local what=$1; shift
	if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
instance_of() { curl -s -o /dev/null -D - "$@" | tr -d '\r' | awk -F': ' 'tolower($1)=="x-khienso-instance"{print $2}'; }

# Session across instances.
jar="$tmp/jar"
csrf=$(curl -s -c "$jar" -b "$jar" "$LB/login" | grep -o 'name="csrf_token" value="[^"]*"' | head -1 | sed 's/.*value="//;s/"$//')
code=$(curl -s -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" \
	--data-urlencode "email=$EMAIL" --data-urlencode "password=$PASSWORD" "$LB/login")
seen=""
session_ok=1
for _ in 1 2 3 4 5 6; do
	line=$(curl -s -o /dev/null -D - -w 'status=%{http_code}\n' -b "$jar" "$LB/units" | tr -d '\r')
	grep -q 'status=200' <<<"$line" || session_ok=0
	seen="$seen $(awk -F': ' 'tolower($1)=="x-khienso-instance"{print $2}' <<<"$line")"
done
check "sign-in through the balancer ($code) serves on both instances:$seen" \
	bash -c "[ $code = 303 ] && [ $session_ok = 1 ] && grep -q a <<<'$seen' && grep -q b <<<'$seen'"

TOKEN=$(curl -s -X POST "$LB/api/v1/auth/login" -H 'Content-Type: application/json' \
	-d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" | jq -r .token)
auth=(-H "Authorization: Bearer $TOKEN")
root=$(curl -s "${auth[@]}" "$LB/api/v1/units?type=province_committee" | jq -r '.items[0].id')
root_code=$(curl -s "${auth[@]}" "$LB/api/v1/units?type=province_committee" | jq -r '.items[0].code')

# Hierarchy cache: create through a, read through b at once (and back).
for pair in "$A_ADDR $B_ADDR HC-A" "$B_ADDR $A_ADDR HC-B"; do
	set -- $pair
	id=$(curl -s "${auth[@]}" -H 'Content-Type: application/json' -X POST "http://$1/api/v1/units" \
		-d "{\"code\":\"$3\",\"name\":\"Sở kiểm thử $3\",\"type\":\"department\",\"parent_id\":$root}" | jq -r .id)
	# within= walks the subtree through the hierarchy cache of the reader.
	check "unit $3 (id $id) created on $1 is in the subtree read on $2 at once" \
		bash -c "curl -s -H 'Authorization: Bearer $TOKEN' 'http://$2/api/v1/units?within=$root&q=$3' | jq -e '[.items[].id] | index($id) != null' >/dev/null"
done

# Import job: start on a, follow on b.
printf 'Mã,Tên,Loại,Mã đơn vị cấp trên\r\nIMP-1,Trung tâm nhập thử,other,%s\r\n' "$root_code" >"$tmp/units.csv"
job=$(curl -s "${auth[@]}" -F "file=@$tmp/units.csv;filename=don-vi.csv" "http://$A_ADDR/api/v1/units/import" | jq -r .id)
for _ in $(seq 50); do
	st=$(curl -s "${auth[@]}" "http://$B_ADDR/api/v1/import-jobs/$job" | jq -r .finished)
	[ "$st" = true ] && break
	sleep 0.2
done
check "import job $job started on a is followed to its end on b" test "$st" = true

# Write load through the balancer; kill -9 b a third of the way in.
acked="$tmp/acked"
: >"$acked"
writer() { # n
	for i in $(seq -w 1 40); do
		c="LD$1-$i"
		s=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "${auth[@]}" -H 'Content-Type: application/json' -X POST "$LB/api/v1/units" \
			-d "{\"code\":\"$c\",\"name\":\"Đơn vị tải $c\",\"type\":\"department\",\"parent_id\":$root}" || true)
		[ "$s" = 201 ] && echo "$c" >>"$acked"
	done
}
wpids=()
for w in 1 2 3 4; do writer "$w" & wpids+=($!); done
while [ "$(wc -l <"$acked")" -lt 50 ]; do sleep 0.05; done
kill -9 "$PID_b"
echo "     killed b (kill -9) after $(wc -l <"$acked") acknowledged writes"
for p in "${wpids[@]}"; do wait "$p"; done
n=$(wc -l <"$acked")
missing=0
while read -r c; do
	curl -s "${auth[@]}" "http://$A_ADDR/api/v1/units?q=$c" | grep -q "\"$c\"" || { echo "     missing $c"; missing=$((missing + 1)); }
done <"$acked"
check "all $n acknowledged writes (of 160) are in the database after kill -9" test "$missing" = 0
check "at least 150 of 160 writes acknowledged (the survivor carried the load)" test "$n" -ge 150
survivors=$(for _ in 1 2 3 4; do instance_of "$LB/healthz"; done | sort -u | tr '\n' ' ')
check "the balancer serves from a alone after the kill: $survivors" test "$survivors" = "a "

# Throttling: 5 wrong passwords through the balancer, then the right one
# straight to a is refused (b is down; the counter lives in the database).
for _ in 1 2 3 4 5; do
	curl -s -o /dev/null -X POST "$LB/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$EMAIL\",\"password\":\"sai-mat-khau-0\"}"
done
start b "$B_ADDR"
wait_ok "http://$B_ADDR/healthz"
for addr in "$A_ADDR" "$B_ADDR"; do
	s=$(curl -s -o /dev/null -w '%{http_code}' -X POST "http://$addr/api/v1/auth/login" -H 'Content-Type: application/json' \
		-d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
	check "after 5 failures through the balancer the right password is refused on $addr ($s)" test "$s" != 200
done

if [ "$BENCH" = 1 ] && command -v wrk >/dev/null; then
	"$tmp/hello" -addr "$HELLO_ADDR" >/dev/null 2>&1 &
	pids+=($!)
	wait_ok "http://$LB_ADDR/healthz"
	sleep 1 # b back in the pool (rise 2 × 200 ms)
	unit=$(curl -s "${auth[@]}" "$LB/api/v1/units?type=commune" | jq -r '.items[0].id')
	cat >"$tmp/auth.lua" <<LUA
wrk.headers["Authorization"] = "Bearer $TOKEN"
LUA
	bench() { # label url
		out=$(wrk -t2 -c"$CONNS" -d"$DURATION" --latency -s "$tmp/auth.lua" "$2")
		printf '%-28s %10s req/s  p99 %s\n' "$1" "$(awk '/Requests\/sec/{print $2}' <<<"$out")" "$(awk '$1=="99%"{print $2}' <<<"$out")"
	}
	bench "two instances via HAProxy" "$LB/api/v1/units/$unit"
	bench "one instance direct" "http://$A_ADDR/api/v1/units/$unit"
	bench "hello direct" "http://$HELLO_ADDR/"
fi
exit "$fail"
