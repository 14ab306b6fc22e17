// Package dataset reads the bilingual cat-companion training set in
// training/data and expands its templates into concrete conversations.
//
// The set is written as readable transcripts with a small slot and
// alternation syntax (see training/data/README.md) so that a few hundred
// hand-written exchanges become thousands of varied ones. Expansion is
// deterministic: the same files always give the same conversations in the
// same order, because every choice is derived from a hash of the source
// position and the expansion index, never from time or map order.
package dataset
