# Shared by the infra scripts: install dependencies when the lock file says so; tell our processes by pid.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVICES=(profiles points-ledger surveys complaints churn-watcher ingress)

ensure_dependencies() {
  cd "$ROOT"
  command -v node >/dev/null || { echo "Node.js 20.19+ is required" >&2; exit 1; }
  if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "[setup] installing dependencies (npm ci)"
    npm ci --no-audit --no-fund --loglevel=error
  fi
}

# <pid> runs a command line containing every <text>: a pid file survives a reboot, and its number may
# since belong to another process, which `down` must not kill and `up` must not take for ours.
pid_runs() { # pid_runs <pid> <text>...
  local pid="$1" cmdline; shift
  kill -0 "$pid" 2>/dev/null || return 1
  cmdline="$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null)" || return 1
  for text in "$@"; do [[ "$cmdline" == *"$text"* ]] || return 1; done
}

service_runs() { pid_runs "$1" "dist/services/$2/"; } # service_runs <pid> <service>

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
