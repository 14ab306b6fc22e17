package config

import (
	"os"
	"path/filepath"
	"testing"
)

// BenchmarkParseReference measures parsing and validating the full
// reference config (every key), what a start or a SIGHUP reload costs.
func BenchmarkParseReference(b *testing.B) {
	data, err := os.ReadFile("../../configs/purrd.yaml")
	if err != nil {
		b.Fatal(err)
	}
	name, _ := filepath.Abs("../../configs/purrd.yaml")
	b.ReportAllocs()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := Parse(name, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseAliasBomb measures the worst case the alias budget allows.
func BenchmarkParseAliasBomb(b *testing.B) {
	data := []byte(aliasBomb())
	name := filepath.Join(b.TempDir(), "purrd.yaml")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(name, data); err == nil {
			b.Fatal("alias bomb accepted")
		}
	}
}
