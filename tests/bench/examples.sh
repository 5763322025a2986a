#!/bin/sh
# Grading time of every example against its assignment's reference (make
# bench): each graded once, one at a time, in turn with the others so that
# load hits them alike. Prints, per assignment, the reference's seconds,
# the slowest example and its ratio to the reference (the goal: at most 3).
#   tests/bench/examples.sh build/ipcgrade [ASSIGNMENT...]
set -eu
bin=$1
shift
home=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcgrade-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

[ $# -gt 0 ] || set -- $(cd "$home/assignments" && ls -d */examples |
	sed 's,/examples,,')

seconds() { # assignment dir -> the wall seconds of its grading
	start=$(date +%s.%N)
	"$bin" grade "$1" "$2" --assignments "$home/assignments" \
		>/dev/null 2>&1 || true
	end=$(date +%s.%N)
	awk -v s="$start" -v e="$end" 'BEGIN { printf "%.2f", e - s }'
}

echo "grading time per example, against the reference's (seconds)"
printf '  %-10s %9s  %-24s %9s %7s\n' assignment reference \
	"slowest example" seconds ratio
worst=0
for a in "$@"; do
	ref=$(seconds "$a" "$home/reference/$a")
	: >"$tmp/$a"
	for ex in "$home/assignments/$a/examples/"*/; do
		s=$(seconds "$a" "${ex%/}")
		echo "$s $(basename "$ex")" >>"$tmp/$a"
	done
	sort -rn "$tmp/$a" | head -n 1 | {
		read -r s name
		awk -v a="$a" -v r="$ref" -v s="$s" -v n="$name" 'BEGIN {
			printf "  %-10s %9.2f  %-24s %9.2f %6.1fx\n", a, r, n, s,
			    (r > 0 ? s / r : 0) }'
	}
done
