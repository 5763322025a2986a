#!/bin/sh
# Grade the reference and every example of an assignment ROUNDS times and
# report any submission whose score or verdicts changed between rounds.
# usage: tests/stability.sh [ASSIGNMENT] [ROUNDS] [IPCGRADE]
# Run it with both cores busy (e.g. stress-ng --cpu 2) to trust timing checks.
set -u
a=${1:-pipechain}
rounds=${2:-20}
bin=${3:-build/ipcgrade}
home=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
subs="$home/reference/$a $(ls -d "$home/assignments/$a/examples/"*/)"
for r in $(seq 1 "$rounds"); do
	for s in $subs; do
		name=$(basename "$s")
		"$bin" grade "$a" "$s" --assignments "$home/assignments" \
			--format text 2>&1 | grep -E '^  [a-z]+ |^score' \
			| sed 's/ [0-9.]*\/[0-9.]* / /' > "$out/$name.$r"
	done
	echo "round $r done"
done
bad=0
for s in $subs; do
	name=$(basename "$s")
	for r in $(seq 2 "$rounds"); do
		if ! cmp -s "$out/$name.1" "$out/$name.$r"; then
			echo "UNSTABLE: $name (round 1 vs $r):"
			diff "$out/$name.1" "$out/$name.$r" | head -5
			bad=$((bad + 1))
		fi
	done
done
echo "$(echo $subs | wc -w) submissions x $rounds rounds: $bad differences"
[ "$bad" -eq 0 ]
