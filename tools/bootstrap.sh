#!/usr/bin/env bash
# Idempotent setup for `make run|test|bench`: Debian packages (when root), the .venv with
# the project, and the npm tools. A second run only checks and takes about a second.
# `--bench` also makes .venv-bench: the matchers bench/ measures us against (Airtest).
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON="${PYTHON:-python3}"
VENV=.venv
say() { printf '\033[1;34m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] error:\033[0m %s\n' "$*" >&2; exit 2; }

is_root() { [ "$(id -u)" = 0 ]; }
apt_updated=0
apt_install() {  # apt_install PKG...: install the missing ones, or say how when not root
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null || die "missing system packages: ${missing[*]} (no apt-get here: install them by hand)"
    is_root || die "missing system packages: ${missing[*]}; run: sudo apt-get install -y ${missing[*]}"
    say "apt-get install ${missing[*]}"
    if [ $apt_updated = 0 ]; then apt-get update -qq; apt_updated=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# 1. Debian packages the lab needs at run time (see the file for why each one).
mapfile -t debs < <(sed -e 's/#.*//' -e 's/[[:space:]]*$//' -e '/^$/d' tools/debian-packages.txt)
[ ${#debs[@]} -gt 0 ] && apt_install "${debs[@]}"

# 2. Python >= 3.10 with venv.
command -v "$PYTHON" >/dev/null || { apt_install python3 python3-venv; PYTHON=python3; }
"$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 10))' \
    || die "$PYTHON is $("$PYTHON" -V 2>&1); the lab needs Python 3.10 or newer"
if [ ! -x "$VENV/bin/python" ]; then
    "$PYTHON" -m venv "$VENV" 2>/dev/null || {
        rm -rf "$VENV"
        apt_install python3-venv
        "$PYTHON" -m venv "$VENV"
    }
fi

# 3. The project and its dependencies, again only when pyproject.toml changed.
want="$(sha256sum pyproject.toml | cut -c1-16)"
if [ "$(cat "$VENV/.installed" 2>/dev/null)" != "$want" ]; then
    say "installing the project into $VENV (first run takes a minute)"
    # (grep drops the warnings some pip configs print for unreachable mirror folders)
    "$VENV/bin/python" -m pip install -q --upgrade pip 2>&1 | { grep -v '^WARNING: Location' || true; }
    "$VENV/bin/python" -m pip install -q -e '.[dev]' 2>&1 | { grep -v '^WARNING: Location' || true; }
    echo "$want" > "$VENV/.installed"
fi

# 4. npm tools (the Allure 3 report CLI), locally in node_modules.
if [ -f package.json ]; then
    command -v npm >/dev/null || apt_install nodejs npm
    want="$(cat package.json $(ls package-lock.json 2>/dev/null) | sha256sum | cut -c1-16)"
    if [ "$(cat node_modules/.installed 2>/dev/null)" != "$want" ]; then
        say "installing npm tools (allure)"
        if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
        else npm install --no-audit --no-fund --loglevel=error; fi
        echo "$want" > node_modules/.installed
    fi
fi

# 5. The bench-only env (make bench): wrk, and Airtest with its opencv-contrib kept apart
#    from .venv.
if [ "${1:-}" = "--bench" ]; then
    apt_install wrk  # the sandbox's load generator: C, so the client never is the bottleneck
    BENCH_VENV=.venv-bench
    [ -x "$BENCH_VENV/bin/python" ] || "$PYTHON" -m venv "$BENCH_VENV"
    want="$(sha256sum bench/requirements.txt | cut -c1-16)"
    if [ "$(cat "$BENCH_VENV/.installed" 2>/dev/null)" != "$want" ]; then
        say "installing the bench-only env $BENCH_VENV (Airtest)"
        "$BENCH_VENV/bin/python" -m pip install -q -r bench/requirements.txt 2>&1 \
            | { grep -v '^WARNING: Location' || true; }
        echo "$want" > "$BENCH_VENV/.installed"
    fi
fi
