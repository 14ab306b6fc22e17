// Package sd is purrd's side of systemd: sd_notify messages (READY, STATUS,
// WATCHDOG, STOPPING) and the choice of log handler (native journald when
// stderr is the journal stream, readable text otherwise).
package sd
