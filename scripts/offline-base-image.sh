#!/usr/bin/env bash
# Build a stand-in for the official python:3.11-slim image from Debian packages, for machines
# that reach a Debian mirror but no container registry (air-gapped CI, these build machines).
# Debian bookworm's Python is 3.11, so the result runs the same Dockerfile unchanged.
#
# Usage: sudo scripts/offline-base-image.sh [IMAGE_TAG]     (default: python:3.11-slim)
# Needs: docker (engine running), debootstrap.
set -euo pipefail

tag="${1:-python:3.11-slim}"
if docker image inspect "$tag" >/dev/null 2>&1; then
  echo "offline-base-image: $tag is already present"
  exit 0
fi

rootfs=$(mktemp -d /tmp/python-slim-rootfs.XXXXXX)
trap 'rm -rf "$rootfs"' EXIT

debootstrap --variant=minbase \
  --include=python3,python3-pip,python3-venv,ca-certificates \
  bookworm "$rootfs" >/dev/null

# Make the tree behave like the official image: python/pip on PATH under their usual names,
# pip allowed to install system-wide, and the host's CA bundle (a TLS-inspecting proxy may sit
# between the build and the package index).
ln -sf /usr/bin/python3 "$rootfs/usr/local/bin/python"
ln -sf /usr/bin/pip3 "$rootfs/usr/local/bin/pip"
rm -f "$rootfs"/usr/lib/python3*/EXTERNALLY-MANAGED
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
fi
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'CMD ["python3"]' \
  - "$tag" >/dev/null
echo "offline-base-image: built $tag from Debian bookworm packages"
