#!/usr/bin/env bash
# Soak of issue 6: mixed traffic through the real server and agent (child processes, SQLite) with periodic SIGKILLs
# of the agent and, once or twice, of the server; every body checked byte for byte. Writes bench/SOAK.md and
# bench/results/soak-latest.json and exits non-zero on any real error. The agent is the Native AOT executable the
# bench publishes first, as it ships (`--agent-dll PATH` runs a JIT Tunnel.Agent.dll instead).
#   bench/soak.sh            # 30 minutes
#   bench/soak.sh 1          # 1-minute smoke
#   bench/soak.sh 30 --workers 32 --keep-temp
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
minutes="${1:-30}"
shift || true
exec dotnet run -c Release --project bench/Tunnel.Bench -- --soak "$minutes" "$@"
