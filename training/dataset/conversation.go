package dataset

import "github.com/purrd/purrd/dialog"

// Conversation is one expanded training conversation.
type Conversation struct {
	ID      string        // "file.conv:LINE#k": source position plus expansion index
	Lang    string        // "en", "zh" or "mix" (the owner switches language)
	Mood    string        // a dialog mood line: "content", "happy, a bit sleepy", "hungry" ...
	Facts   []string      // facts known before the first turn, in dialog.ExtractFacts text form
	PetName string        // the name the cat is called by
	Turns   []dialog.Turn // Role "owner"/"pet", alternating, starts with owner, ends with pet
}
