//go:build llama

package daemon

// testBuildTags builds the purrd the process tests run with the engine
// when the tests themselves are built with it (make test does).
const testBuildTags = "llama"
