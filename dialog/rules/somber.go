package rules

import "github.com/purrd/purrd/dialog"

// somberIntents are what the owner told that a cat meets quietly: a loss,
// an ache, a bad night, sadness.
var somberIntents = map[string]bool{"told_loss": true, "told_ache": true, "sleepless": true, "felt_sad": true}

// Somber reports owner's words that tell of distress (dialog.DetectDistress),
// a loss, pain or a sleepless night, for the body's instant reaction
// (dialog.Stimulus.Somber): a happy trill and sparkling eyes answered "My
// old friend Betty died last week" before the words did. names are what
// the pet is called, as for Intent.
func Somber(text string, names ...string) bool {
	if _, distress := dialog.DetectDistress(text); distress {
		return true
	}
	return somberIntents[Intent(text, names...)]
}
