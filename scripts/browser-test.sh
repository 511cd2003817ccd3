#!/usr/bin/env bash
# Real-browser test of `digits serve` (issue 7, item 6): installs Chromium + chromedriver if missing, builds digits
# (release), starts the server on a free port, waits for /readyz, runs scripts/browser-test.py, stops the server.
# Usage: scripts/browser-test.sh [SCREENSHOT_DIR]   (default .build/browser-test)
# Exit status: the Python test's (0 = all checks passed); 0 with "SKIPPED: …" if Chromium cannot be installed.
set -euo pipefail
cd "$(dirname "$0")/.."
shots="${1:-.build/browser-test}"

have_browser() { command -v chromium >/dev/null 2>&1 && command -v chromedriver >/dev/null 2>&1; }

if ! have_browser; then
    sudo=""
    if [ "$(id -u)" != 0 ]; then sudo="sudo -n"; fi
    echo "browser-test: installing chromium and chromium-driver with apt"
    if ! { DEBIAN_FRONTEND=noninteractive $sudo apt-get update -q \
           && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q chromium chromium-driver; } >/dev/null 2>&1 \
       || ! have_browser; then
        echo "SKIPPED: chromium could not be installed (apt-get install chromium chromium-driver failed); browser test not run"
        exit 0
    fi
fi

echo "browser-test: building digits (release)"
swift build -c release --product digits
digits="$(swift build -c release --show-bin-path)/digits"

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
log="$(mktemp)"
"$digits" serve --host 127.0.0.1 --port "$port" >"$log" 2>&1 &
server=$!
stop_server() {
    if kill -0 "$server" 2>/dev/null; then
        kill -TERM "$server" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$server" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$server" 2>/dev/null || true
    fi
    rm -f "$log"
}
trap stop_server EXIT

ready=""
for _ in $(seq 1 100); do
    if ! kill -0 "$server" 2>/dev/null; then break; fi
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' \
        "http://127.0.0.1:$port/readyz" >/dev/null 2>&1; then ready=1; break; fi
    sleep 0.2
done
if [ -z "$ready" ]; then
    echo "browser-test: FAIL: digits serve did not become ready on port $port; its output:" >&2
    tail -n 20 "$log" >&2
    exit 1
fi

status=0
python3 scripts/browser-test.py --url "http://127.0.0.1:$port" --screenshots "$shots" || status=$?
if [ "$status" != 0 ]; then
    echo "browser-test: server output (last 20 lines):" >&2
    tail -n 20 "$log" >&2
fi
exit "$status"
