// Package avahi holds purrd's mDNS/DNS-SD announcement for avahi-daemon
// (purrd.service, installed by the .deb into /etc/avahi/services) and the
// test that keeps it in step with the ports purrd listens on.
package avahi
