//go:build llama

package llama

import (
	"os"
	"path/filepath"
)

// findRealModel looks in the cache folder .cache/models at the repository
// root, or $PURRD_MODELS; it returns "" and the folder when absent.
func findRealModel(name string) (path, dir string) {
	dir = os.Getenv("PURRD_MODELS")
	if dir == "" {
		wd, _ := os.Getwd()
		for d := wd; ; d = filepath.Dir(d) {
			if _, err := os.Stat(filepath.Join(d, "go.mod")); err == nil {
				dir = filepath.Join(d, ".cache", "models")
				break
			}
			if filepath.Dir(d) == d {
				break
			}
		}
	}
	m, _ := filepath.Glob(filepath.Join(dir, name, "*.gguf"))
	if len(m) == 0 {
		return "", dir
	}
	return m[0], dir
}

const testPersona = "You are Mochi, a small grey robot cat who lives with your owner. " +
	"You love naps in the sun, chin scratches and fish treats. " +
	"You answer in one or two short, playful sentences and sometimes purr, " +
	"always in the language your owner writes in."
