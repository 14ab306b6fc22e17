#!/bin/sh
# engine-headers.sh gathers the three header folders that the module zip of
# github.com/ollama/ollama v0.17.4 leaves out (its nested vendor/ folders are
# dropped by the Go module proxy) into an ignored build folder, so that
# `go build -tags llama` can compile the vendored llama.cpp through cgo.
#
# Usage: scripts/engine-headers.sh [DEST]   (default: .build/engine-include)
# Then:  CGO_CPPFLAGS=-I$DEST go build -tags llama ./...
#
# Sources (nothing third-party is committed to the repository):
#   nlohmann/   Debian nlohmann-json3-dev   (/usr/include/nlohmann)
#   stb/        Debian libstb-dev           (/usr/include/stb/stb_image.h)
#   miniaudio/  Go module github.com/gen2brain/malgo@v0.11.24 (miniaudio.h)
# Files are copied, not symlinked: a cross compiler must not reach into the
# build machine's /usr/include.
set -eu

MALGO=github.com/gen2brain/malgo@v0.11.24
DEST=${1:-.build/engine-include}

die() { echo "engine-headers: $*" >&2; exit 1; }

[ -f /usr/include/nlohmann/json.hpp ] ||
	die "/usr/include/nlohmann/json.hpp missing: apt-get install nlohmann-json3-dev"
[ -f /usr/include/stb/stb_image.h ] ||
	die "/usr/include/stb/stb_image.h missing: apt-get install libstb-dev"

malgo_dir=$(go mod download -json "$MALGO" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -n "$malgo_dir" ] && [ -f "$malgo_dir/miniaudio.h" ] ||
	die "cannot find miniaudio.h in Go module $MALGO (go mod download failed?)"

# Idempotent and cheap: skip when everything is already in place and not
# older than its source.
if [ -f "$DEST/nlohmann/json.hpp" ] && [ -f "$DEST/stb/stb_image.h" ] &&
	[ -f "$DEST/miniaudio/miniaudio.h" ] &&
	[ ! "/usr/include/nlohmann/json.hpp" -nt "$DEST/nlohmann/json.hpp" ] &&
	[ ! "/usr/include/stb/stb_image.h" -nt "$DEST/stb/stb_image.h" ]; then
	exit 0
fi

tmp="$DEST.tmp.$$"
rm -rf "$tmp"
mkdir -p "$tmp/stb" "$tmp/miniaudio"
cp -RL /usr/include/nlohmann "$tmp/nlohmann"
cp -L /usr/include/stb/stb_image.h "$tmp/stb/stb_image.h"
cp -L "$malgo_dir/miniaudio.h" "$tmp/miniaudio/miniaudio.h"
chmod -R u+w "$tmp"
rm -rf "$DEST"
mkdir -p "$(dirname "$DEST")"
mv "$tmp" "$DEST"
echo "engine-headers: headers in $DEST"
