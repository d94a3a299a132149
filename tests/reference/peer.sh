#!/usr/bin/env bash
# Runs Python with the reference PyTorch 1.13 / torchvision 0.14 / Pillow (shared/tools/pytorch-peer),
# adding the two library folders that its LD_LIBRARY_PATH misses on Debian 12 (libgloo, libnl).
# Used only to (re)generate reference fixtures and baseline timings; never by the test suite.
set -euo pipefail
peer="$(cd "$(dirname "$0")/../.." && pwd)/../shared/tools/pytorch-peer"
root="${PEER_DIR:-$HOME/.cache/pytorch-peer}/root"
export LD_LIBRARY_PATH="$root/usr/lib:$root/lib/x86_64-linux-gnu${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
exec "$peer" "$@"
