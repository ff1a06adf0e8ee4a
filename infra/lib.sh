# Shared by infra/start and infra/test: install dependencies when the lock file says so.
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
