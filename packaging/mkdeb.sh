#!/usr/bin/env bash
# Builds purrd_<version>_<arch>.deb with nfpm (github.com/goreleaser/nfpm/v2,
# run at a pinned version through `go run`, so the main module does not carry
# nfpm's ~150 dependencies).
#
#   packaging/mkdeb.sh -a amd64|arm64|armhf [-b BINARY] [-v VERSION] [-o OUTDIR]
#
# -b  a purrd binary already built for ARCH (e.g. by `make cross`, with the
#     model engine). Without it a static binary without the engine is built
#     here (CGO_ENABLED=0): fallback brain only.
# -v  the version; default: `git describe --tags --always --dirty`. It is
#     turned into a Debian version (leading v dropped, -rcN -> ~rcN, other
#     dashes -> +, a bare commit id -> 0.0.0~git<id>).
# -o  output folder (default dist/).
# Prints the path of the .deb on its last line.
set -euo pipefail

NFPM=${NFPM:-github.com/goreleaser/nfpm/v2/cmd/nfpm@v2.45.2}
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)

arch= bin= version= out=$top/dist
while getopts a:b:v:o: opt; do
	case $opt in
	a) arch=$OPTARG ;;
	b) bin=$(realpath "$OPTARG") ;;
	v) version=$OPTARG ;;
	o) out=$(realpath -m "$OPTARG") ;;
	*) echo "usage: $0 -a amd64|arm64|armhf [-b BINARY] [-v VERSION] [-o OUTDIR]" >&2; exit 2 ;;
	esac
done

case $arch in
amd64) goarch=amd64 goarm= machine='X86-64' ;;
arm64) goarch=arm64 goarm= machine='AArch64' ;;
# 32-bit Raspberry Pi OS; GOARM=7 needs an ARMv7 or newer CPU (Pi 2 and later,
# Zero 2 W), not a Pi 1 or Zero 1.
armhf) goarch=arm goarm=7 machine='ARM' ;;
*) echo "mkdeb: -a: unknown architecture '$arch' (want amd64, arm64 or armhf)" >&2; exit 2 ;;
esac

cd "$top"
if [ -z "$version" ]; then
	version=$(git describe --tags --always --dirty 2>/dev/null || echo dev)
fi
debversion=${version#v}
debversion=$(printf '%s' "$debversion" | sed -E 's/-(rc|alpha|beta|pre)/~\1/g; s/-/+/g')
if ! printf '%s' "$debversion" | grep -Eq '^[0-9]'; then
	debversion="0.0.0~git$debversion"
fi
if ! printf '%s' "$debversion" | grep -Eq '^[0-9][A-Za-z0-9.+~]*$'; then
	echo "mkdeb: version '$version' gives '$debversion', not a valid Debian version" >&2
	exit 2
fi

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

if [ -z "$bin" ]; then
	bin=$stage/purrd-built
	CGO_ENABLED=0 GOOS=linux GOARCH=$goarch GOARM=$goarm \
		go build -trimpath -ldflags "-s -w -X main.version=$version -X main.commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)" \
		-o "$bin" ./daemon/cmd/purrd
fi
if [ ! -x "$bin" ]; then
	echo "mkdeb: -b $bin: not an executable file" >&2
	exit 2
fi
got=$(readelf -h "$bin" 2>/dev/null | sed -n 's/^ *Machine: *//p')
case $got in
*"$machine"*) ;;
*) echo "mkdeb: $bin is built for '${got:-not an ELF file}', not $arch" >&2; exit 2 ;;
esac
install -m 0755 "$bin" "$stage/purrd"

# Runtime dependencies from the binary's dynamic libraries: none for a static
# build; libc6/libstdc++6/libgcc-s1 for one with the cgo model engine. The
# libc6 minimum is the newest GLIBC symbol version the binary uses.
deps=()
for lib in $(readelf -d "$bin" 2>/dev/null | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p'); do
	case $lib in
	libc.so.6 | libm.so.6 | libpthread.so.0 | libdl.so.2 | librt.so.1 | ld-linux*) pkg=libc6 ;;
	libstdc++.so.6) pkg=libstdc++6 ;;
	libgcc_s.so.1) pkg=libgcc-s1 ;;
	libgomp.so.1) pkg=libgomp1 ;;
	*) echo "mkdeb: $bin needs $lib: add its Debian package to packaging/mkdeb.sh" >&2; exit 2 ;;
	esac
	if [ "$pkg" = libc6 ]; then
		glibc=$(readelf -W --dyn-syms "$bin" | grep -o 'GLIBC_[0-9.]*' | sed 's/GLIBC_//' | sort -uV | tail -1)
		[ -n "$glibc" ] && pkg="libc6 (>= $glibc)"
	fi
	if [ "$pkg" = libstdc++6 ]; then
		# GLIBCXX_3.4.N first shipped with these GCC releases.
		case $(readelf -W --dyn-syms "$bin" | grep -o 'GLIBCXX_3\.4\.[0-9]*' | sort -uV | tail -1) in
		GLIBCXX_3.4.29) pkg="libstdc++6 (>= 11)" ;;
		GLIBCXX_3.4.30) pkg="libstdc++6 (>= 12)" ;;
		GLIBCXX_3.4.31) pkg="libstdc++6 (>= 13)" ;;
		GLIBCXX_3.4.32) pkg="libstdc++6 (>= 14)" ;;
		esac
	fi
	case " ${deps[*]-} " in *" ${pkg%% *} "*) ;; *) deps+=("$pkg") ;; esac
done
if [ ${#deps[@]} -gt 4 ]; then
	echo "mkdeb: more than 4 library dependencies (${deps[*]}): add PURRD_DEP_n slots to packaging/nfpm.yaml" >&2
	exit 2
fi

# The installed configuration is the reference configs/purrd.yaml: every
# default written out and commented, safe to start with no hardware described
# (simulated board, embedded broker on loopback, fallback brain). Personas and
# board profiles are installed read-only under /usr/share/purrd, so relative
# paths to them (relative to the config's folder in the repository) become
# absolute ones.
sed -E 's#^(persona:[[:space:]]*)personas/#\1/usr/share/purrd/personas/#' configs/purrd.yaml >"$stage/purrd.yaml"
if grep -Eq '^persona:[[:space:]]*personas/' "$stage/purrd.yaml" || ! grep -Eq '^persona:[[:space:]]*/usr/share/purrd/personas/' "$stage/purrd.yaml"; then
	echo "mkdeb: configs/purrd.yaml has no 'persona: personas/...' line to point at /usr/share/purrd/personas" >&2
	exit 2
fi
# The trained cat adapter (committed under training/adapter/) ships in the
# package and the installed config names it. The base model it was trained
# for (Gemma 3 270M) is not shipped (Gemma terms, 250 MB): brain.model stays
# empty until the owner installs it (docs/models.md); the adapter waits.
adapter=training/adapter/purrd-cat-gemma3-270m.lora.gguf
if [ -f "$adapter" ]; then
	mkdir -p "$stage/share/models"
	install -m 0644 "$adapter" "$stage/share/models/"
	[ -f training/adapter/MANIFEST.json ] && install -m 0644 training/adapter/MANIFEST.json "$stage/share/models/purrd-cat-gemma3-270m.MANIFEST.json"
	sed -i -E "s#^(  adapter:[[:space:]]*)\"\"#\1/usr/share/purrd/models/${adapter##*/}#" "$stage/purrd.yaml"
	if ! grep -Eq "^  adapter:[[:space:]]*/usr/share/purrd/models/${adapter##*/}" "$stage/purrd.yaml"; then
		echo "mkdeb: configs/purrd.yaml has no '  adapter: \"\"' line to point at the shipped adapter" >&2
		exit 2
	fi
fi
# On the robot the phone page and the broker face the LAN: every login is
# checked there (purrd makes the paired phone user, `purrd pair`), so no
# YAML edit stands between a new owner and the first chat. The ports match
# packaging/avahi/purrd.service.
sed -i -E -e 's#^(  listen:[[:space:]]*)127\.0\.0\.1:8080#\10.0.0.0:8080#' \
	-e 's#^(    listen:[[:space:]]*)127\.0\.0\.1:1883#\10.0.0.0:1883#' "$stage/purrd.yaml"
if ! grep -Eq '^  listen:[[:space:]]*0\.0\.0\.0:8080' "$stage/purrd.yaml" || ! grep -Eq '^    listen:[[:space:]]*0\.0\.0\.0:1883' "$stage/purrd.yaml"; then
	echo "mkdeb: configs/purrd.yaml has no 'web: listen: 127.0.0.1:8080' or 'mqtt: embedded: listen: 127.0.0.1:1883' line to open to the LAN" >&2
	exit 1
fi
chmod 0644 "$stage/purrd.yaml"
mkdir -p "$stage/share/boards" "$stage/share/personas" "$stage/doc/examples"
for f in configs/boards/*.yaml; do [ -e "$f" ] && install -m 0644 "$f" "$stage/share/boards/"; done
for f in configs/personas/*.yaml; do [ -e "$f" ] && install -m 0644 "$f" "$stage/share/personas/"; done
for f in README.md LICENSE docs/*.md; do [ -e "$f" ] && install -m 0644 "$f" "$stage/doc/"; done
[ -e LICENSE ] && install -m 0644 LICENSE "$stage/doc/copyright"
install -m 0644 configs/purrd.yaml "$stage/doc/examples/purrd.yaml"
for f in configs/*.yaml; do [ -e "$f" ] && install -m 0644 "$f" "$stage/doc/examples/"; done
find "$stage/share" "$stage/doc" -type d -exec chmod 0755 {} +

mkdir -p "$out"
target=$out/purrd_${debversion}_${arch}.deb
rm -f "$target"
env PURRD_DEB_ARCH="$arch" PURRD_DEB_VERSION="$debversion" PURRD_STAGE="$stage" \
	PURRD_DEP_1="${deps[0]-}" PURRD_DEP_2="${deps[1]-}" PURRD_DEP_3="${deps[2]-}" PURRD_DEP_4="${deps[3]-}" \
	go run "$NFPM" package --config packaging/nfpm.yaml --packager deb --target "$target" >&2
echo "$target"
