#!/usr/bin/env bash
# What the test suite needs beyond the Python workspace, in one place for `make test` and
# `.ci/run` (issue 8): Debian's Chromium (Playwright's own browser download is not
# available here) with CJK fonts for the Chinese pages, and Node.js 20.19+ with npm for the
# web application. As root it installs what is missing with apt; otherwise it stops at
# once and prints the exact command to run.
set -euo pipefail

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
if ! command -v fc-list >/dev/null 2>&1 || ! fc-list :lang=zh 2>/dev/null | grep -q .; then
  missing+=(fonts-noto-cjk)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing for the browser tests: ${missing[*]} (apt-get) ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "The browser tests need: ${missing[*]}. Install them first:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v npm >/dev/null 2>&1; then
  echo "npm is missing: the web application needs Node.js 20.19 or newer with npm" >&2
  echo "  (Debian: sudo apt-get install -y nodejs npm, or see https://nodejs.org)" >&2
  exit 1
fi
