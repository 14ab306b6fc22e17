#!/bin/sh
# Boots ROOT with systemd-nspawn. Run it inside `unshare -m --propagation private`:
# the host's PID 1 is not systemd, so /run is a private tmpfs here and the
# inaccessible nodes that PID 1 normally makes are created by hand.
#   e2e/boot.sh ROOT DEBDIR
# DEBDIR is bound read-only at /debs inside the container.
set -eu
root=$1 debs=$2
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/systemd/inaccessible
cd /run/systemd/inaccessible
touch reg
mkdir dir
mkfifo fifo
mknod chr c 0 0
mknod blk b 0 0
chmod 0000 reg dir fifo chr blk
cd /
# --private-network: only loopback inside, so the embedded broker's 1883 does
# not collide with anything on the host.
exec systemd-nspawn -q --register=no --keep-unit --private-network \
	--machine=purrcat --bind-ro="$debs:/debs" -D "$root" --boot
