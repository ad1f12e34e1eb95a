#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (an Ubuntu image), with
# this workbook unpacked in /autograder/source. It installs the current LTS Node.js (26, or a newer
# one already there), the Prometheus tools (promtool and prometheus, so the grader's Prometheus
# checks run for real and nothing is skipped), and the workbook's dependencies.
set -euo pipefail

SOURCE=/autograder/source
NODE_MAJOR=26
# Where the official Node.js binaries of that major are published; used only when apt has none new enough.
NODE_DIST="${NODE_DIST:-https://nodejs.org/dist/latest-v${NODE_MAJOR}.x}"
export DEBIAN_FRONTEND=noninteractive

# The major version of the node on PATH, or 0 when there is none.
node_major() {
  if command -v node >/dev/null 2>&1; then node -p 'process.versions.node.split(".")[0]'; else echo 0; fi
}

# The official Node.js binaries of NODE_MAJOR (checked against their published SHA-256 sums), unpacked in
# /usr/local/lib/nodejs with node, npm and npx linked into /usr/local/bin.
install_official_node() {
  local arch file tmp
  case "$(uname -m)" in
    x86_64) arch=x64 ;;
    aarch64 | arm64) arch=arm64 ;;
    *) echo "setup.sh: there are no official Node.js ${NODE_MAJOR} binaries for $(uname -m)" >&2; exit 1 ;;
  esac
  tmp="$(mktemp -d)"
  curl -fsSL --retry 3 "${NODE_DIST}/SHASUMS256.txt" -o "${tmp}/SHASUMS256.txt"
  file="$(awk -v want="^node-v${NODE_MAJOR}\\\\.[0-9]+\\\\.[0-9]+-linux-${arch}\\\\.tar\\\\.xz\$" '$2 ~ want { print $2; exit }' "${tmp}/SHASUMS256.txt")"
  if [ -z "$file" ]; then
    echo "setup.sh: no linux-${arch} archive is listed in ${NODE_DIST}/SHASUMS256.txt" >&2
    exit 1
  fi
  curl -fsSL --retry 3 "${NODE_DIST}/${file}" -o "${tmp}/${file}"
  (cd "$tmp" && grep "  ${file}\$" SHASUMS256.txt | sha256sum -c -)
  mkdir -p /usr/local/lib/nodejs
  tar -xJf "${tmp}/${file}" -C /usr/local/lib/nodejs --no-same-owner
  local home="/usr/local/lib/nodejs/${file%.tar.xz}"
  for tool in node npm npx; do ln -sf "${home}/bin/${tool}" "/usr/local/bin/${tool}"; done
  rm -rf "$tmp"
  hash -r
}

apt-get update
apt-get install -y --no-install-recommends ca-certificates curl xz-utils

if [ "$(node_major)" -ge "$NODE_MAJOR" ]; then
  echo "Node.js $(node --version) is already installed."
else
  # Ubuntu's own nodejs package when it is new enough (e.g. "24.3.0+dfsg-1ubuntu1"; "(none)" if absent).
  candidate="$(apt-cache policy nodejs | awk '/Candidate:/ { print $2 }')"
  candidate="${candidate#*:}" # without an epoch
  apt_major="${candidate%%.*}"
  if [[ "$apt_major" =~ ^[0-9]+$ ]] && [ "$apt_major" -ge "$NODE_MAJOR" ]; then
    apt-get install -y --no-install-recommends nodejs npm
  else
    echo "Ubuntu's nodejs package is ${candidate:-missing}: installing the official Node.js ${NODE_MAJOR} binaries."
    install_official_node
  fi
fi
if [ "$(node_major)" -lt "$NODE_MAJOR" ]; then
  echo "setup.sh: Node.js ${NODE_MAJOR} or newer is needed, found $(node --version 2>/dev/null || echo none)" >&2
  exit 1
fi
echo "Node.js $(node --version), npm $(npm --version)"

# promtool and prometheus, which the grader finds on PATH.
# bubblewrap: the sandbox for the learner's code (see the README's threat model).
apt-get install -y --no-install-recommends prometheus bubblewrap
promtool --version | head -n 1

cd "$SOURCE"
npm ci --no-audit --no-fund
