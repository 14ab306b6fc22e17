// Package eval is the conversation eval's pure half: the versioned set of
// scripted conversations (a readable text format, embedded in the binary),
// the checks run on every reply, the scoring into rates and the report (a
// Markdown transcript, a JSON summary and one score line). It knows nothing
// of MQTT or the daemon: a runner elsewhere plays the set against a real
// daemon and hands back one TurnResult per owner turn.
package eval
