#!/bin/sh
# gcl.sh measures what handlecheck adds to a golangci-lint run of the
# standard linters (issue 15: at most +10%), on golang.zx2c4.com/wireguard/windows
# v1.1.1 as GOOS=windows, golangci-lint's cache cleared before each run, Go's
# build cache (GOCACHE) left as it is (warm after the first run).
#
#   sh eval/gcl/gcl.sh build          # build golangci-lint with the plugin of this tree
#   sh eval/gcl/gcl.sh run with       # one cold run, handlecheck enabled
#   sh eval/gcl/gcl.sh run without    # one cold run, the standard linters only
#   sh eval/gcl/gcl.sh bench [N]      # N pairs (default 7), with and without in
#                                     # turn, /usr/bin/time figures and the ratios
#   sh eval/gcl/gcl.sh issues         # the issues of each, as JSON, into $WORK
#   sh eval/gcl/gcl.sh profile        # a CPU profile of one cold run with handlecheck
#
# It builds golangci-lint as gclplugin's TestGolangciLint does: the go.mod and
# main.go of docs/golangci-lint.md, handlecheck replaced by this tree, from the
# Go module proxy. Everything goes under $WORK (default /tmp/handlecheck-gcl).
# --allow-parallel-runners: another golangci-lint on the machine (a test)
# must not make a run fail.
set -eu

root=$(cd "$(dirname "$0")/../.." && pwd)
self=$root/eval/gcl/gcl.sh
work=${WORK:-/tmp/handlecheck-gcl}
bin=$work/custom-gcl
target=$work/wireguard-windows
mkdir -p "$work"

# block NAME prints the fenced block after <!-- NAME --> in the doc.
block() {
	awk -v name="<!-- $1 -->" '
		$0 == name { want = 1; next }
		want == 1 && /^```/ { want = 2; next }
		want == 2 && /^```/ { exit }
		want == 2 { print }' "$root/docs/golangci-lint.md"
}

build() {
	mod=$work/build
	rm -rf "$mod" && mkdir -p "$mod"
	block go.mod | sed "s|=> ../handlecheck|=> $root|" >"$mod/go.mod"
	version="2.15.0-custom-gcl-$(cd "$root" && git rev-parse --short HEAD)$(cd "$root" && git diff --quiet HEAD -- . ':!eval' || echo -dirty)"
	block main.go | sed "s|^\(\s*Version:\s*\)\"[^\"]*\"|\1\"$version\"|" >"$mod/main.go"
	grep -q "$version" "$mod/main.go"
	(cd "$mod" && GOFLAGS=-mod=mod GOWORK=off CGO_ENABLED=0 go build -o "$bin" .)
	"$bin" version
}

# prepare copies the module out of the module cache (read-only there) and
# writes the two configurations.
prepare() {
	[ -f "$target/go.mod" ] && return
	dir=$(GOFLAGS=-mod=mod go mod download -json golang.zx2c4.com/wireguard/windows@v1.1.1 | sed -n 's/^\s*"Dir": "\(.*\)",$/\1/p')
	mkdir -p "$target"
	cp -R "$dir"/. "$target"
	chmod -R u+w "$target"
	(cd "$target" && GOFLAGS=-mod=mod GOOS=windows go mod download)
	cat >"$work/without.yml" <<'YML'
version: "2"
linters:
  default: standard
YML
	cat >"$work/with.yml" <<'YML'
version: "2"
linters:
  default: standard
  enable:
    - handlecheck
  settings:
    custom:
      handlecheck:
        type: module
        description: misuse of owned and borrowed OS handles
YML
}

# run WHICH [ARGS] runs golangci-lint once with a fresh cache of its own.
run() {
	which=$1
	shift
	prepare
	cache=$work/cache-$which
	rm -rf "$cache"
	cd "$target"
	GOOS=windows GOFLAGS=-mod=mod GOWORK=off GOLANGCI_LINT_CACHE=$cache \
		"$bin" run --allow-parallel-runners --config "$work/$which.yml" --max-issues-per-linter=0 --max-same-issues=0 "$@" ./... || [ $? -eq 1 ]
}

case ${1:-} in
build) build ;;
run) shift; run "$@" ;;
issues)
	for w in without with; do
		(run "$w" --output.json.path="$work/issues-$w.json" --output.text.path=/dev/null --show-stats=false)
	done
	for w in without with; do
		echo "$w: $(grep -o '"FromLinter":"[^"]*"' "$work/issues-$w.json" | sort | uniq -c | tr '\n' ' ')"
	done ;;
profile)
	run with --cpu-profile-path="$work/with.pprof" --output.text.path=/dev/null >/dev/null
	echo "go tool pprof -top $bin $work/with.pprof" ;;
bench)
	n=${2:-7}
	prepare
	(run without >/dev/null 2>&1) # warm Go's build cache and the OS's file cache
	cat /proc/loadavg
	i=0
	while [ $i -lt "$n" ]; do
		for w in with without; do
			/usr/bin/time -f "$w %e %U %S %M" -a -o "$work/times" sh "$self" run "$w" >/dev/null 2>&1
		done
		i=$((i + 1))
	done
	cat /proc/loadavg
	# each line: with|without wall user sys maxrss_KB; ratios pair by pair.
	tail -n $((2 * n)) "$work/times" | awk '
		{ cpu = $3 + $4 }
		$1 == "with" { w = cpu; ww = $2; wr = $5 }
		$1 == "without" { printf "with %.2fs cpu %.2fs wall %d MiB | without %.2fs cpu %.2fs wall %d MiB | ratio cpu %.3f wall %.3f\n", w, ww, wr/1024, cpu, $2, $5/1024, w/cpu, ww/$2 }' ;;
*)
	sed -n '2,20p' "$0"
	exit 2 ;;
esac
