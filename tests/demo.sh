#!/bin/sh
# make demo: grade the reference and every bundled example of each
# assignment, one line each, then show how the sandbox reports a few
# hostile endings.
set -u
bin=${1:-build/ipcgrade}
progs=${2:-build/progs}
home=$(cd "$(dirname "$0")/.." && pwd)

grade_row() { # assignment submission-dir [label]
	"$bin" grade "$1" "$2" --format text 2>&1 | awk -v name="${3:-$(basename "$2")}" '
		/^  [a-z]+ / { if ($1 != "passed") bad = bad " " $2 ($1 == "failed" ? "" : "(" $1 ")") }
		/^score:/ { score = $2 "/" $4 }
		/did not build/ { bad = " (did not build)" }
		END { printf "  %-24s %8s %s\n", name, score, bad == "" ? " all passed" : bad }'
}

for dir in "$home"/assignments/*/; do
	a=$(basename "$dir")
	[ -f "$dir/assignment.json" ] || continue
	echo "$a: grading the reference and the examples (tests not passed)"
	grade_row "$a" "$home/reference/$a" "(reference)"
	for ex in "$dir"examples/*/; do
		[ -d "$ex" ] && grade_row "$a" "$ex"
	done
	echo
done

row() { # tier label args...
	tier=$1 label=$2
	shift 2
	line=$("$bin" sandbox --tier "$tier" "$@" 2>&1 >/dev/null | grep 'ipcgrade sandbox: [a-z_]*:' | tail -n 1)
	printf '  %-6s %-34s %s\n' "$tier" "$label" "${line#ipcgrade sandbox: }"
}

echo "the sandbox: how each run ended"
for tier in full basic; do
	if ! "$bin" sandbox --tier "$tier" -- /bin/true >/dev/null 2>&1; then
		echo "  $tier tier: unavailable on this machine"
		continue
	fi
	row "$tier" "endless loop, --time 1" --time 1 -- "$progs/spin"
	row "$tier" "memory bomb, --mem 64" --mem 64 -- "$progs/mem-bomb"
	row "$tier" "calls ptrace()" -- "$progs/ptrace-me"
	row "$tier" "fork bomb, --procs 16" --procs 16 --wall 2 -- \
		/bin/bash -c 'f() { f | f & }; f; sleep 5'
done
