package dataset

import (
	"fmt"
	"os"
	"path/filepath"
)

// Source is a committed folder an adapter may learn from: its
// conversations, and for a preference pass the folder of rejected replies
// beside them ("" when there is none).
type Source struct{ Chosen, Rejected string }

// Sources lists what a committed adapter may have learnt from under the
// training folder root: root/data, every further folder of conversations
// root/data-* (written for a later supervised pass, kept apart so that
// root/data still exports to what the earlier adapters learnt), and every
// round of preference pairs, root/pairs*/chosen with its
// root/pairs*/rejected. The eval-disjointness test and the manifest test
// read the same list, so a new folder is covered by both as soon as it is
// committed.
func Sources(root string) ([]Source, error) {
	out := []Source{{Chosen: filepath.Join(root, "data")}}
	more, err := filepath.Glob(filepath.Join(root, "data-*"))
	if err != nil {
		return nil, fmt.Errorf("dataset: sources under %s: %w", root, err)
	}
	for _, dir := range more {
		if st, err := os.Stat(dir); err == nil && st.IsDir() {
			out = append(out, Source{Chosen: dir})
		}
	}
	rounds, err := filepath.Glob(filepath.Join(root, "pairs*", "chosen"))
	if err != nil {
		return nil, fmt.Errorf("dataset: sources under %s: %w", root, err)
	}
	for _, chosen := range rounds {
		rejected := filepath.Join(filepath.Dir(chosen), "rejected")
		if st, err := os.Stat(rejected); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("dataset: %s has no rejected side %s beside it", chosen, rejected)
		}
		out = append(out, Source{Chosen: chosen, Rejected: rejected})
	}
	return out, nil
}
