//go:build !race

package daemon

const testRaceFlag = ""
