// Package systemd holds no code: it is the home of purrd's systemd unit,
// sysusers.d and tmpfiles.d files, and of the tests that check them with
// systemd's own tools (systemd-analyze verify and security, systemd-sysusers,
// systemd-tmpfiles), so that `go test ./...` keeps the unit valid and hardened.
package systemd
