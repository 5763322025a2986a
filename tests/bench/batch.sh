#!/bin/sh
# Batch throughput (make bench): BENCH_SUBMISSIONS (100) copies of an
# assignment's example submissions, graded with -j 1 and with -j 2; prints
# submissions per minute and the speedup, and checks both runs agree.
#   tests/bench/batch.sh build/ipcgrade [ASSIGNMENT]
set -eu
bin=$1
assignment=${2:-pipechain}
n=${BENCH_SUBMISSIONS:-100}
examples=assignments/$assignment/examples
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ipcgrade-bench-XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM

mkdir "$tmp/root"
i=0
while [ "$i" -lt "$n" ]; do
	for ex in "$examples"/*/; do
		[ "$i" -lt "$n" ] || break
		dest=$tmp/root/$(printf '%03d' "$i")-$(basename "$ex")
		cp -R "$ex" "$dest"
		rm -f "$dest/expected.json"
		i=$((i + 1))
	done
done

echo "batch throughput: $n $assignment submissions (its examples, copied in turn)"
base=
for j in 1 2; do
	start=$(date +%s.%N)
	"$bin" batch "$assignment" "$tmp/root" -o "$tmp/out$j" -j "$j" \
		>/dev/null 2>"$tmp/log$j" || {
		echo "batch -j $j failed:" >&2
		tail -5 "$tmp/log$j" >&2
		exit 1
	}
	end=$(date +%s.%N)
	awk -v j="$j" -v s="$start" -v e="$end" -v n="$n" -v base="$base" \
		'BEGIN { t = e - s; line = sprintf("  -j %s  %7.1f s  %6.1f submissions/min", j, t, n * 60 / t);
		         if (base != "") line = line sprintf("   speedup %.2fx", base / t);
		         print line }'
	[ -n "$base" ] || base=$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')
done
if cmp -s "$tmp/out1/grades.csv" "$tmp/out2/grades.csv"; then
	echo "  grades.csv of both runs: identical"
else
	echo "  grades.csv differs between -j 1 and -j 2:" >&2
	diff "$tmp/out1/grades.csv" "$tmp/out2/grades.csv" >&2 || true
	exit 1
fi
