// Package mqtt is purrd's link to the owner's phone, Home Assistant and any
// MQTT tool: it publishes availability, state, events and replies under a
// base topic, takes commands on <base>/cmd/<verb> and answers each with
// exactly one response on <base>/response/<verb>.
//
// The link runs a paho client against an external broker, or against an
// embedded mochi broker started in-process when no broker is configured, so
// a phone can talk to the robot directly. Everything the daemon sends goes
// through a bounded outbox whose drop policy is the link's own, so events
// and replies produced while the broker is away are delivered when it
// returns.
//
// The link knows nothing about the mind or the brain: it decodes and
// validates commands, polices bad input and floods, and hands clean Command
// values to the daemon, which answers with Respond. docs/mqtt.md is the
// topic reference.
package mqtt
