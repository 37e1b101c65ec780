#!/usr/bin/env bash
# Installs what `pnpm bench` compares against, from Debian's packages: PyTorch (python3-torch, run by
# /usr/bin/python3), OpenBLAS's threaded build, and tcmalloc — PyTorch is run with it for CPU training, and
# without it PyTorch's large blocks are page-faulted back every step (a handicapped baseline). Safe to rerun.
set -euo pipefail
pkgs=(python3-torch libopenblas0-pthread libtcmalloc-minimal4)
missing=()
for pkg in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
done
if [ "${#missing[@]}" -eq 0 ]; then
  echo "setup-bench: ${pkgs[*]} already installed" >&2
  exit 0
fi
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi
echo "setup-bench: installing ${missing[*]} (apt)" >&2
$sudo_cmd apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
