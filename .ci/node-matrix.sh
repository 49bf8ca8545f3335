#!/usr/bin/env bash
# The CLI on other Node versions: `.ci/node-matrix.sh DIR...`, each DIR a Node's bin directory
# (e.g. /opt/node22/node_modules/.bin). A Node that package.json's engines allow must print the
# version, report on a real dump with nothing on stderr, and draw the live demo in a terminal
# (tmux) until q. An older Node must refuse in one line with exit 2. Any failure ends the script
# with the reason and the output that showed it.
set -euo pipefail
cd "$(dirname "$0")/.."

fixture=test/fixtures/dumps/go1.27-statezoo-all-states.debug2.txt
version=$(sed -n 's/^  "version": "\(.*\)",$/\1/p' package.json)
engines=$(sed -n 's/^    "node": ">=\([0-9.]*\)"$/\1/p' package.json)
work=$(mktemp -d)
sessions=()
cleanup() {
	for session in "${sessions[@]}"; do tmux -L "$session" kill-server 2>/dev/null || true; done
	rm -rf "$work"
}
trap cleanup EXIT

fail() {
	echo "FAIL [node $node_version]: $1" >&2
	shift
	for file in "$@"; do
		echo "--- $(basename "$file"):" >&2
		cat "$file" >&2
	done
	exit 1
}

# `at_least A B`: version A (x.y.z) is B (x.y) or newer.
at_least() {
	[ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

check_demo() {
	local bin=$1 session="gmon-ci-$$-${node_version//./-}"
	sessions+=("$session")
	# CI=false: gmon clears CI variables itself, but this checks the terminal, not that rule.
	tmux -L "$session" -f /dev/null new-session -d -s "$session" -x 100 -y 30 \
		"PATH='$bin':\"\$PATH\" CI=false node source/bin.js --demo; echo \"exit=\$?\"; sleep 60"
	local screen="$work/demo-screen.txt" deadline=$((SECONDS + 30))
	until tmux -L "$session" capture-pane -p -t "$session" >"$screen" 2>/dev/null && grep -Eq '^gmon 127\.0\.0\.1:[0-9]+ ' "$screen" && grep -Eq '^total [0-9]+' "$screen"; do
		((SECONDS < deadline)) || fail "--demo drew no header within 30 s" "$screen"
		sleep 0.5
	done
	sleep 3 # a few seconds of live polling
	tmux -L "$session" capture-pane -p -t "$session" >"$screen"
	grep -Eq '\? help +q quit' "$screen" || fail "--demo lost its keys line while running" "$screen"
	tmux -L "$session" send-keys -t "$session" q
	deadline=$((SECONDS + 15))
	until tmux -L "$session" capture-pane -p -t "$session" >"$screen" 2>/dev/null && grep -Eq '^exit=[0-9]+$' "$screen"; do
		((SECONDS < deadline)) || fail "--demo did not quit on q within 15 s" "$screen"
		sleep 0.5
	done
	grep -qx 'exit=0' "$screen" || fail "--demo quit with a non-zero status" "$screen"
	if grep -Eq '^total [0-9]+' "$screen"; then fail "--demo left its screen behind after q" "$screen"; fi
	tmux -L "$session" kill-server
}

(($# > 0)) || {
	echo "usage: $0 NODE_BIN_DIR..." >&2
	exit 2
}
for bin in "$@"; do
	node="$bin/node"
	node_version=$("$node" --version | sed 's/^v//')
	out="$work/stdout.txt" err="$work/stderr.txt"
	if ! at_least "$node_version" "$engines"; then
		status=0
		"$node" source/bin.js --version >"$out" 2>"$err" || status=$?
		[ "$status" = 2 ] || fail "an unsupported Node must exit 2, not $status" "$out" "$err"
		grep -q "^gmon: needs Node.js $engines or newer" "$err" || fail "an unsupported Node must say which Node gmon needs" "$err"
		echo "ok   node $node_version: refused in one line (needs $engines)"
		continue
	fi

	"$node" source/bin.js --version >"$out" 2>"$err" || fail "--version exited $?" "$out" "$err"
	[ "$(cat "$out")" = "$version" ] || fail "--version printed something else than $version" "$out" "$err"
	[ ! -s "$err" ] || fail "--version wrote to stderr" "$err"

	"$node" source/bin.js --once "$fixture" >"$out" 2>"$err" || fail "--once $fixture exited $?" "$out" "$err"
	grep -q "^gmon report: $fixture" "$out" || fail "--once printed no report" "$out" "$err"
	grep -Eq '^[0-9]+ goroutines' "$out" || fail "--once counted no goroutines" "$out" "$err"
	[ ! -s "$err" ] || fail "--once wrote to stderr" "$err"

	check_demo "$bin"
	echo "ok   node $node_version: --version, --once on a Go 1.27 dump, --demo in tmux until q"
done
