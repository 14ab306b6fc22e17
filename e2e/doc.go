// Package e2e holds purrd's end-to-end tests (build tag e2e, run by
// `make e2e`): the amd64 .deb installed into a Debian root booted with real
// systemd under systemd-nspawn, and the ARM builds run under qemu-user.
// They need root, debootstrap and systemd-container; see README.md.
package e2e
