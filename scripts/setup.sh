#!/usr/bin/env bash
# Makes a fresh clone ready to build and run: pnpm at the pinned version, the workspace's dependencies
# (from the lockfile, only when they are missing or older than it), and with --browser Debian's chromium
# (the HTML-report test renders in it, and the WebGPU backend's conformance suite runs in its navigator.gpu)
# and Mesa's EGL / OpenGL ES libraries (Dawn's OpenGL ES backend runs WebGPU on the CPU through them).
# Safe to run again: each step is skipped when already done.
# Used by `npm run demo`, `npm test` and .ci/run. Needs Node 20+ with npm; apt for --browser.
set -euo pipefail
PNPM_VERSION=12.4.2
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TURBO_TELEMETRY_DISABLED=1 TURBO_NO_UPDATE_NOTIFIER=1 DO_NOT_TRACK=1 COREPACK_ENABLE_DOWNLOAD_PROMPT=0
# onnxruntime-node's own install script downloads CUDA files from outside; it is not needed on the CPU.
export ONNXRUNTIME_NODE_INSTALL=skip

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "setup: installing pnpm@${PNPM_VERSION} with npm" >&2
  prefix="$(npm prefix -g)"
  if [ -w "$prefix" ] && { [ ! -e "$prefix/bin" ] || [ -w "$prefix/bin" ]; }; then
    npm install --global --no-fund --no-audit --loglevel=error "pnpm@${PNPM_VERSION}" >&2
  else
    npm install --global --no-fund --no-audit --loglevel=error --prefix "$HOME/.local" "pnpm@${PNPM_VERSION}" >&2
    export PATH="$HOME/.local/bin:$PATH"
  fi
  hash -r
fi

if [ ! -f node_modules/.modules.yaml ] || [ pnpm-lock.yaml -nt node_modules/.modules.yaml ]; then
  echo "setup: pnpm install --frozen-lockfile" >&2
  pnpm install --frozen-lockfile --reporter=append-only >&2
fi

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  echo "setup: installing Debian's chromium (apt)" >&2
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends chromium >&2
fi

# Dawn (npm `webgpu`) reaches the CPU through Mesa's OpenGL ES over EGL (llvmpipe) on a machine without a GPU.
# Debian 12 package names; skipped when Mesa's EGL driver is already installed.
mesa_missing() {
  for pkg in libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || return 0
  done
  return 1
}
if [ "${1:-}" = "--browser" ] && command -v dpkg-query >/dev/null 2>&1 && mesa_missing; then
  echo "setup: installing Mesa's EGL and OpenGL ES libraries (apt) for the WebGPU backend" >&2
  sudo_cmd=""
  if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
  $sudo_cmd apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends \
    libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri >&2
fi
