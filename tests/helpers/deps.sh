#!/usr/bin/env bash
# Installs the Debian packages the build, `make run` and `make test` need.
# As root it runs apt-get (without starting any system service: a temporary
# policy-rc.d forbids it); as anyone else it prints the sudo line and stops.
set -euo pipefail

pkgs=(build-essential pkg-config libfcgi-dev libmariadb-dev libjansson-dev libssl-dev libargon2-dev
      mariadb-server-core mariadb-client lighttpd bats curl openssl jq valgrind python3
      apache2 libapache2-mod-fcgid nginx spawn-fcgi
      clang-14 libclang-rt-14-dev  # libFuzzer harnesses: make fuzz, tests/fuzz.bats
      chromium)  # tests/sandbox.bats drives the /api/doc page in it (tests/browser)
# npm for the test tools of tests/browser and tests/openapi (Debian's, unless a
# node is there).
command -v npm >/dev/null || pkgs+=(nodejs npm)

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "Missing Debian packages. Install them with:" >&2
	echo "  sudo apt-get install -y ${missing[*]}" >&2
	exit 1
fi

echo "Installing: ${missing[*]}"
policy=/usr/sbin/policy-rc.d
made_policy=0
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 755 "$policy"
	made_policy=1
fi
trap '[ $made_policy -eq 1 ] && rm -f "$policy"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! apt-get install -y -q --no-install-recommends "${missing[@]}"; then
	apt-get update -q
	apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
