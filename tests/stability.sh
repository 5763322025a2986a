#!/bin/sh
# Grade the reference and every example of an assignment (or of all of
# them) ROUNDS times, JOBS at once, and count the per-test verdicts that
# changed between gradings (flips), and those that differ from the
# example's expected.json (wrong).
# usage: tests/stability.sh [ASSIGNMENT|all] [ROUNDS] [JOBS] [IPCGRADE]
#   TIER=full|basic|auto (default auto)
# Run it with both cores busy (stress-ng --cpu 2) to trust timing checks.
set -u
which=${1:-all}
rounds=${2:-10}
jobs=${3:-2}
bin=${4:-build/ipcgrade}
tier=${TIER:-auto}
home=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

if [ "$which" = all ]; then
	assignments=$(cd "$home/assignments" && ls -d */examples 2>/dev/null |
		sed 's,/examples,,')
else
	assignments=$which
fi

# One line per grading to do: ASSIGNMENT DIR NAME ROUND
for a in $assignments; do
	for r in $(seq 1 "$rounds"); do
		echo "$a $home/reference/$a reference $r"
		for s in "$home/assignments/$a/examples/"*/; do
			echo "$a ${s%/} $(basename "$s") $r"
		done
	done
done >"$out/todo"

# Each grading writes "TEST STATUS" lines to $out/A.NAME.ROUND.
xargs -P "$jobs" -L 1 sh -c '
	"$0" grade "$1" "$2" --assignments "'"$home"'/assignments" \
		--tier "'"$tier"'" --format text 2>&1 |
		sed -n "s/^  \(passed\|failed\|timeout\|crashed\|violation\|error\|skipped\) *\([a-z0-9-]*\) .*/\2 \1/p" \
		>"'"$out"'/$1.$3.$4"' "$bin" <"$out/todo"

flips=0 wrong=0 gradings=0
for a in $assignments; do
	for name in reference $(cd "$home/assignments/$a/examples" && ls); do
		first="$out/$a.$name.1"
		exp="$home/assignments/$a/examples/$name/expected.json"
		for r in $(seq 1 "$rounds"); do
			f="$out/$a.$name.$r"
			gradings=$((gradings + 1))
			if [ "$r" -gt 1 ] && ! cmp -s "$first" "$f"; then
				n=$(diff "$first" "$f" | grep -c '^>')
				flips=$((flips + n))
				echo "FLIP $a/$name round $r:" \
					$(diff "$first" "$f" | grep '^[<>]')
			fi
			while read -r test status; do
				if [ "$name" = reference ]; then
					want=passed
				else
					want=$(sed -n "s/.*\"$test\": *\"\([a-z_]*\)\".*/\1/p" \
						"$exp")
				fi
				if [ "$status" != "$want" ]; then
					wrong=$((wrong + 1))
					echo "WRONG $a/$name round $r: $test" \
						"$status, declared $want"
				fi
			done <"$f"
		done
	done
done
echo "$gradings gradings (tier $tier): $flips flips, $wrong wrong verdicts"
[ "$flips" -eq 0 ] && [ "$wrong" -eq 0 ]
