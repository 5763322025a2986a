#!/bin/sh
# make demo: a newcomer's first minute. Per assignment, grade the reference
# and a few telling examples (two gradings at once), each with its score and
# the diagnosis of every test it did not pass; then how the sandbox reports
# a few hostile endings. Every example is graded by make check instead.
set -u
bin=${1:-build/ipcgrade}
progs=${2:-build/progs}
home=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT INT TERM

# The examples shown: one telling bug each. An assignment not listed here
# shows its first three examples.
telling() {
	case $1 in
	pipechain) echo no-wait ignores-sigpipe child-fd-leak ;;
	shmring) echo no-unlink spin-consumer off-by-one ;;
	sigd) echo printf-in-handler pause-loop one-waitpid ;;
	echo) echo iterative drops-when-full no-reap ;;
	*) (cd "$home/assignments/$1/examples" 2>/dev/null && ls | head -n 3) ;;
	esac
}

# One line per grading, in the order shown: N ASSIGNMENT DIR LABEL
n=0
for dir in "$home"/assignments/*/; do
	a=$(basename "$dir")
	[ -f "$dir/assignment.json" ] || continue
	n=$((n + 1))
	echo "$n $a $home/reference/$a (reference)"
	for ex in $(telling "$a"); do
		[ -d "$dir/examples/$ex" ] || continue
		n=$((n + 1))
		echo "$n $a $dir/examples/$ex $ex"
	done
done >"$out/todo"

# Grade two at once; each writes $out/N.txt, then $out/N.done.
awk '{ print $1, $2, $3 }' "$out/todo" | xargs -P 2 -L 1 sh -c '
	"$0" grade "$2" "$3" --format text >"'"$out"'/$1.txt" 2>&1
	touch "'"$out"'/$1.done"' "$bin" &
grader=$!

# A score line, then each test not passed with its diagnosis.
show() { # file label
	awk '
		function flush() {
			if (id != "") printf "%s\t%s\n", id, \
			    (length(msg) > 400 ? substr(msg, 1, 397) "..." : msg)
			id = ""
		}
		/^  [a-z]+ +[a-z0-9-]+ / {
			flush()
			if ($1 != "passed") { id = $2; msg = $1; first = 1 }
			next
		}
		/^      / && id != "" && first && !/re-run just this test/ {
			sub(/^ +/, ""); msg = $0; first = 0
		}
		/^score:/ { flush() }
		END { flush() }
	' "$1" >"$1.diag"
	score=$(sed -n 's/^score: \([^ ]*\) \/ \([^ ]*\).*/\1\/\2/p' "$1")
	if grep -q 'did not build' "$1"; then
		printf '  %-22s %s\n' "$2" "did not build"
	elif [ -s "$1.diag" ]; then
		printf '  %-22s %8s\n' "$2" "$score"
		head -n 4 "$1.diag" | while IFS='	' read -r id msg; do
			printf '    %s:\n' "$id"
			echo "$msg" | fold -s -w 88 | sed 's/ *$//; s/^/        /'
		done
		more=$(($(wc -l <"$1.diag") - 4))
		[ "$more" -gt 0 ] && echo "    (and $more more tests not passed)"
	else
		printf '  %-22s %8s  all passed\n' "$2" "$score"
	fi
}

last=
while read -r i a dir label; do
	if [ "$a" != "$last" ]; then
		[ -n "$last" ] && echo
		echo "$a: the reference and a few examples; under each, the tests it did not pass and why"
		last=$a
	fi
	while [ ! -e "$out/$i.done" ]; do
		kill -0 "$grader" 2>/dev/null || break
		sleep 0.2
	done
	show "$out/$i.txt" "$label"
done <"$out/todo"
wait "$grader"
echo
echo "every example, with its expected verdicts: make check; one of them:"
echo "  $bin grade pipechain assignments/pipechain/examples/no-wait --format text"
echo

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
