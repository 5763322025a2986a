#!/bin/sh
# make demo: run a few small programs through `ipcgrade sandbox` in every
# tier this machine offers and print how each run ended.
set -u
bin=${1:-build/ipcgrade}
progs=${2:-build/progs}

row() { # tier label args...
	tier=$1 label=$2
	shift 2
	line=$("$bin" sandbox --tier "$tier" "$@" 2>&1 >/dev/null | tail -n 1)
	printf '  %-6s %-34s %s\n' "$tier" "$label" "${line#ipcgrade sandbox: }"
}

echo "ipcgrade sandbox demo: how each run ended"
echo
for tier in full basic; do
	if ! "$bin" sandbox --tier "$tier" -- /bin/true >/dev/null 2>&1; then
		echo "  $tier tier: unavailable on this machine"
		continue
	fi
	row "$tier" "echo hi" -- /bin/echo hi
	row "$tier" "endless loop, --time 1" --time 1 -- "$progs/spin"
	row "$tier" "memory bomb, --mem 64" --mem 64 -- "$progs/mem-bomb"
	row "$tier" "calls ptrace()" -- "$progs/ptrace-me"
	row "$tier" "fork bomb, --procs 16" --procs 16 --wall 2 -- \
		/bin/bash -c 'f() { f | f & }; f; sleep 5'
	row "$tier" "output flood, --output 64" --output 64 -- /usr/bin/yes
	echo
done
