//go:build !llama

package daemon

const testBuildTags = ""
