#!/usr/bin/env bash
# Runs the whole test suite: ./test.sh [extra `dotnet test` arguments]
#
# The MySQL tests need a server. If TUNNEL_TEST_MYSQL is set, e.g.
#   TUNNEL_TEST_MYSQL='Server=127.0.0.1;Port=3306;User ID=root;Password=;Database=tunnel_test'
# that server is used as is (the user needs CREATE DATABASE rights).
# Otherwise a throwaway MariaDB is started on a free loopback port in a temp
# directory (installing Debian's mariadb-server first when run as root), and
# it is stopped and removed when this script exits.
#
# Ends with one line "N passed, N failed, N skipped" summed over all TRX
# files, and exits non-zero if the build or any test failed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# mariadbd and apt's dpkg live in sbin, which a non-login PATH may lack.
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No lingering MSBuild worker nodes holding the console pipe after the run.
export MSBUILDDISABLENODEREUSE="${MSBUILDDISABLENODEREUSE:-1}"

DB_DIR=""
DB_PID=""
RESULTS_DIR=""

cleanup() {
    if [[ -n "$DB_PID" ]] && kill -0 "$DB_PID" 2>/dev/null; then
        kill "$DB_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$DB_PID" 2>/dev/null || break
            sleep 0.2
        done
        kill -9 "$DB_PID" 2>/dev/null || true
        wait "$DB_PID" 2>/dev/null || true
    fi
    if [[ -n "$DB_DIR" ]]; then rm -rf "$DB_DIR"; fi
    if [[ -n "$RESULTS_DIR" ]]; then rm -rf "$RESULTS_DIR"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

log() { echo "test.sh: $*" >&2; }

# --- helpers for the throwaway MariaDB -------------------------------------

find_mariadbd() {
    if command -v mariadbd >/dev/null 2>&1; then
        command -v mariadbd
    elif [[ -x /usr/sbin/mariadbd ]]; then
        echo /usr/sbin/mariadbd
    else
        return 1
    fi
}

install_mariadb() {
    local aptlog
    aptlog="$(mktemp)"
    log "installing mariadb-server with apt-get"
    # DPkg::Lock::Timeout: wait for another apt/dpkg run instead of failing.
    if ! { apt-get -o DPkg::Lock::Timeout=600 update &&
           DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 \
               install -y mariadb-server mariadb-client; } >"$aptlog" 2>&1; then
        cat "$aptlog" >&2
        rm -f "$aptlog"
        log "apt-get failed to install mariadb-server"
        exit 1
    fi
    rm -f "$aptlog"
}

# Loopback ports currently in use (any TCP state), one per line, decimal.
used_ports() {
    if command -v ss >/dev/null 2>&1; then
        ss -Htan 2>/dev/null | awk '{ n = split($4, a, ":"); print a[n] }'
    fi
    local f
    for f in /proc/net/tcp /proc/net/tcp6; do
        [[ -r "$f" ]] || continue
        awk 'NR > 1 { split($2, a, ":"); print a[2] }' "$f" | while read -r hex; do
            echo $((16#$hex))
        done
    done
}

# First port from $1 upwards (at most 200 tries) that nothing uses.
free_port() {
    local p=$1 used
    used=" $(used_ports | sort -un | tr '\n' ' ') "
    for ((; p < $1 + 200; p++)); do
        if [[ "$used" != *" $p "* ]] && ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

start_mariadb() {
    local mariadbd user port="" try ready sql_user sql_pass
    if ! mariadbd="$(find_mariadbd)"; then
        if [[ "$(id -u)" -eq 0 ]]; then
            install_mariadb
            mariadbd="$(find_mariadbd)" || { log "mariadbd still missing after install"; exit 1; }
        else
            log "MariaDB server (mariadbd) not found. Either install it"
            log "  (sudo apt-get install mariadb-server), or point the tests at a server:"
            log "  export TUNNEL_TEST_MYSQL='Server=127.0.0.1;Port=3306;User ID=root;Password=;Database=tunnel_test'"
            exit 1
        fi
    fi
    if [[ "$(id -u)" -eq 0 ]]; then user=root; else user="$(whoami)"; fi

    DB_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tunnel-mariadb.XXXXXX")"
    local installlog="$DB_DIR/install.log"
    if ! mariadb-install-db --no-defaults --datadir="$DB_DIR/data" --user="$user" \
            --auth-root-authentication-method=normal --skip-test-db >"$installlog" 2>&1; then
        cat "$installlog" >&2
        log "mariadb-install-db failed"
        exit 1
    fi

    # Start on a free port; if another process grabs it first, try the next one.
    local base=33060
    for try in 1 2 3 4 5; do
        port="$(free_port "$base")" || { log "no free loopback port found"; exit 1; }
        "$mariadbd" --no-defaults --datadir="$DB_DIR/data" --socket="$DB_DIR/sock" \
            --port="$port" --bind-address=127.0.0.1 --user="$user" --skip-name-resolve \
            --innodb-buffer-pool-size=64M --pid-file="$DB_DIR/pid" \
            >"$DB_DIR/log" 2>&1 </dev/null &
        DB_PID=$!
        ready=0
        for _ in $(seq 1 120); do   # 120 x 0.5 s = 60 s
            if ! kill -0 "$DB_PID" 2>/dev/null; then break; fi
            if mariadb-admin --no-defaults --protocol=socket -S "$DB_DIR/sock" -uroot ping >/dev/null 2>&1; then
                ready=1
                break
            fi
            sleep 0.5
        done
        if [[ $ready -eq 1 ]]; then break; fi
        if kill -0 "$DB_PID" 2>/dev/null; then
            cat "$DB_DIR/log" >&2
            log "mariadbd did not answer within 60 s"
            exit 1
        fi
        wait "$DB_PID" 2>/dev/null || true
        DB_PID=""
        if grep -qiE 'address already in use|bind on tcp/ip port' "$DB_DIR/log"; then
            log "port $port was taken, trying another"
            base=$((port + 1))
            continue
        fi
        cat "$DB_DIR/log" >&2
        log "mariadbd exited during start-up"
        exit 1
    done
    if [[ -z "$DB_PID" ]]; then
        log "could not start mariadbd"
        exit 1
    fi

    # root over TCP without password; else make a user through the socket.
    sql_user=root
    sql_pass=""
    if ! mariadb --no-defaults -h127.0.0.1 -P"$port" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
        mariadb --no-defaults --protocol=socket -S "$DB_DIR/sock" -uroot -e \
            "CREATE USER 'tunnel'@'127.0.0.1' IDENTIFIED BY 'tunnel'; GRANT ALL ON *.* TO 'tunnel'@'127.0.0.1' WITH GRANT OPTION;"
        sql_user=tunnel
        sql_pass=tunnel
        if ! mariadb --no-defaults -h127.0.0.1 -P"$port" -u"$sql_user" -p"$sql_pass" -e 'SELECT 1' >/dev/null 2>&1; then
            cat "$DB_DIR/log" >&2
            log "cannot log in to the throwaway MariaDB over TCP"
            exit 1
        fi
    fi
    export TUNNEL_TEST_MYSQL="Server=127.0.0.1;Port=$port;User ID=$sql_user;Password=$sql_pass;Database=tunnel_test"
    log "throwaway MariaDB $("$mariadbd" --version | awk '{print $3}') on 127.0.0.1:$port (pid $DB_PID, dir $DB_DIR)"
}

# --- main ------------------------------------------------------------------

if [[ -n "${TUNNEL_TEST_MYSQL:-}" ]]; then
    log "using the MySQL server from TUNNEL_TEST_MYSQL"
else
    start_mariadb
fi

RESULTS_DIR="$(mktemp -d "${TMPDIR:-/tmp}/tunnel-test-results.XXXXXX")"

# One TRX per test project: LogFilePrefix makes unique names
# (tests_<tfm>_<timestamp>.trx); a fixed LogFileName would be overwritten
# by each project in turn.

set +e
dotnet test Tunnel.sln -c Release --logger "trx;LogFilePrefix=tests" \
    --results-directory "$RESULTS_DIR" "$@" 2>&1 | tee "$RESULTS_DIR/console.log"
test_rc=${PIPESTATUS[0]}
set -e

mapfile -t trx_files < <(find "$RESULTS_DIR" -name '*.trx' -type f)
if [[ ${#trx_files[@]} -eq 0 ]]; then
    log "no TRX results found (build failure?); dotnet test exit code $test_rc"
    echo "0 passed, 1 failed"
    exit 1
fi

# <Counters total=".." executed=".." passed=".." failed=".." ... notExecuted=".." .../>
# Summed over all files; awk splits the XML at "<" so line breaks do not matter.
read -r passed failed skipped < <(
    awk '
        BEGIN { RS = "<"; p = 0; f = 0; s = 0 }
        function attr(e, name,   m) {
            if (match(e, "[ \t\r\n]" name "=\"[0-9]+\"")) {
                m = substr(e, RSTART, RLENGTH)
                gsub(/[^0-9]/, "", m)
                return m + 0
            }
            return 0
        }
        /^Counters[ \t\r\n]/ {
            p += attr($0, "passed")
            f += attr($0, "failed") + attr($0, "error") + attr($0, "timeout") + attr($0, "aborted")
            # VSTest leaves skipped tests out of "executed" but often not in "notExecuted".
            n = attr($0, "total") - attr($0, "executed")
            if (attr($0, "notExecuted") > n) n = attr($0, "notExecuted")
            s += n
        }
        END { printf "%d %d %d\n", p, f, s }' "${trx_files[@]}"
)

if [[ $test_rc -ne 0 ]]; then
    log "dotnet test exited with code $test_rc"
fi
echo "$passed passed, $failed failed, $skipped skipped"

if [[ $test_rc -ne 0 || $failed -ne 0 ]]; then
    exit 1
fi
exit 0
