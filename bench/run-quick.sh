#!/usr/bin/env bash
# CI smoke run of the benchmark (issue 5): builds it in Release and runs `--quick`, which publishes the agent as it
# ships (Native AOT), starts the origin, nginx, ssh -R (throwaway sshd), the tunnel server and that agent on
# loopback, checks that every path answers correctly, and exits non-zero if any path fails. Installs nothing:
# .ci/run installs nginx, openssh and the C toolchain Native AOT links with when
# bench/Tunnel.Bench/Tunnel.Bench.csproj exists. The full benchmark is
#   dotnet run -c Release --project bench/Tunnel.Bench
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"

out_dir="$(mktemp -d "${TMPDIR:-/tmp}/tunnel-bench-quick.XXXXXX")"
bench_pid=""
cleanup() {
    # The bench kills its own children on SIGTERM; this only ends the bench itself if it is still running.
    if [[ -n "$bench_pid" ]] && kill -0 "$bench_pid" 2>/dev/null; then
        kill -TERM "$bench_pid" 2>/dev/null || true
        for _ in $(seq 1 50); do
            kill -0 "$bench_pid" 2>/dev/null || break
            sleep 0.2
        done
        kill -KILL "$bench_pid" 2>/dev/null || true
    fi
    rm -rf "$out_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "bench/run-quick.sh: building bench/Tunnel.Bench (Release)" >&2
dotnet build bench/Tunnel.Bench/Tunnel.Bench.csproj -c Release -nologo -v quiet >"$out_dir/build.log" 2>&1 || {
    cat "$out_dir/build.log" >&2
    echo "bench/run-quick.sh: build failed" >&2
    exit 1
}

echo "bench/run-quick.sh: running the quick benchmark" >&2
# The bench bounds itself: first the agent's Native AOT publish (AgentPublisher.Timeout, 300 s; 35-60 s from scratch
# on 2 cores, seconds when nothing changed), then the run's budget (BenchOptions.Budget, 115 s for --quick), which
# starts after the publish. timeout is the backstop of both: 300 + 180.
timeout --kill-after=15 480 dotnet bench/Tunnel.Bench/bin/Release/net10.0/Tunnel.Bench.dll \
    --quick --out "$out_dir/quick.json" </dev/null &
bench_pid=$!
rc=0
wait "$bench_pid" || rc=$?
bench_pid=""
if [[ $rc -ne 0 ]]; then
    echo "bench/run-quick.sh: quick benchmark FAILED (exit $rc)" >&2
    exit "$rc"
fi
echo "bench/run-quick.sh: every path works" >&2
