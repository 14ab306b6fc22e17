#!/bin/sh
# Fetch Debian bookworm's arm64 kernel for hal/periph's qemu test without
# touching the host's apt state, and print the path of its vmlinuz.
#
#   apt-get install qemu-system-arm
#   export PURRD_QEMU_KERNEL=$(hal/periph/testdata/qemu-kernel.sh)
#   go test -run QEMU -v ./hal/periph/
#
# The kernel has PL061 GPIO and the GPIO character device built in, and the
# gpio-keys driver (which would claim the power-button line) as a module
# that the test's initramfs does not load.
set -eu
cache=${PURRD_QEMU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/purrd/qemu}
mkdir -p "$cache/lists/partial" "$cache/archives/partial" "$cache/deb"
found=$(ls "$cache"/root/boot/vmlinuz-*-arm64 2>/dev/null | head -n1 || true)
if [ -n "$found" ]; then
	echo "$found"
	exit 0
fi
opts="-o Dir::State::Lists=$cache/lists -o Dir::Cache=$cache -o Dir::State::status=/dev/null -o APT::Architecture=arm64 -o APT::Architectures::=arm64"
# shellcheck disable=SC2086
apt-get $opts -q update >&2
# shellcheck disable=SC2086
pkg=$(apt-cache $opts depends linux-image-arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9].*-arm64\)$/\1/p' | head -n1)
[ -n "$pkg" ] || { echo "qemu-kernel.sh: no arm64 kernel package found" >&2; exit 1; }
# shellcheck disable=SC2086
(cd "$cache/deb" && apt-get $opts -q download "$pkg" >&2)
dpkg-deb -x "$cache"/deb/"$pkg"_*.deb "$cache/root"
ls "$cache"/root/boot/vmlinuz-*-arm64 | head -n1
