#!/usr/bin/env bash
# Installs Mesa's lavapipe (a CPU Vulkan driver) so the 'gpu' target's tests run for real on a
# machine without a GPU (DESIGN.md decision 9). Dawn needs Mesa >= 23: Debian bookworm has
# 22.3, bookworm-backports has 25.x. The backports suite is added with the mirror URI the
# machine's apt sources already use. Never fails the caller: without lavapipe the GPU tests
# skip with a printed reason (they are never counted as passed).
set -u
if ls /usr/share/vulkan/icd.d/lvp_icd*.json >/dev/null 2>&1 && ldconfig -p 2>/dev/null | grep -q libvulkan.so.1; then
  echo "lavapipe: already installed"; exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "lavapipe: not installed (needs root and apt-get); GPU tests will skip"; exit 0
fi
. /etc/os-release 2>/dev/null || true
codename=${VERSION_CODENAME:-bookworm}
uri=$(grep -hoE '^URIs:[[:space:]]*[^[:space:]]+' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -n1 | awk '{print $2}')
[ -z "$uri" ] && uri=$(grep -hoE '^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?[^[:space:]]+' /etc/apt/sources.list 2>/dev/null | grep -v security | head -n1 | awk '{print $NF}')
if [ -z "$uri" ]; then echo "lavapipe: no apt mirror found; GPU tests will skip"; exit 0; fi
list=/etc/apt/sources.list.d/numbats-backports.list
echo "deb $uri ${codename}-backports main" > "$list"
export DEBIAN_FRONTEND=noninteractive
if apt-get update -qq >/dev/null 2>&1 \
  && apt-get install -y -qq libvulkan1 >/dev/null 2>&1 \
  && apt-get install -y -qq -t "${codename}-backports" mesa-vulkan-drivers >/dev/null 2>&1; then
  echo "lavapipe: installed ($(ls /usr/share/vulkan/icd.d/ | tr '\n' ' '))"
else
  echo "lavapipe: install failed; GPU tests will skip"
fi
exit 0
