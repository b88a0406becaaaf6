#!/usr/bin/env bash
# Installs Debian's Chromium so the browser project's tests (vitest browser mode, Playwright
# provider, test/browser) run in a real headless browser. Playwright's own browser download
# is never used (it cannot reach its hosts here): the tests launch this binary by path.
# Never fails the caller: without Chromium the browser project reports its tests as skipped
# with the reason printed (scripts/run-tests.mjs), never as passed.
set -u
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: already installed ($(chromium --version 2>/dev/null | head -n1))"; exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "chromium: not installed (needs root and apt-get); browser tests will skip"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends chromium >/dev/null 2>&1; then
  echo "chromium: installed ($(chromium --version 2>/dev/null | head -n1))"
else
  echo "chromium: install failed; browser tests will skip"
fi
exit 0
