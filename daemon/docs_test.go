package daemon

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

// TestDocumentedChatLimit: docs/mqtt.md names the number of characters
// the brain sees of a chat, the limit ValidateChat really applies (it once
// said 1,000 while the code kept 500).
func TestDocumentedChatLimit(t *testing.T) {
	doc, err := os.ReadFile("../docs/mqtt.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("The brain sees at most %d characters", dialog.DefaultMaxChatRunes)
	if !strings.Contains(strings.Join(strings.Fields(string(doc)), " "), want) {
		t.Errorf("docs/mqtt.md does not say %q", want)
	}
}
