//go:build race

package daemon

// testRaceFlag builds the purrd the process tests run with -race when the
// tests are: it shares their engine build (a cold make test compiled
// llama.cpp's C++ a second time for a plain purrd, five of its ten
// minutes), and the real process runs under the race detector too.
const testRaceFlag = "-race"
