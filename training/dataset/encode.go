package dataset

import (
	"fmt"
	"io"
	"strings"
)

// Encode writes c in the .conv syntax, each text literal (braces, bars and
// backslashes escaped, line breaks made spaces), so that Load gives c back:
// the way a conversation from elsewhere (an owner's rated exchange) joins
// the training set as a file a person reviews like the rest. title goes
// after the "==".
func Encode(w io.Writer, title string, c Conversation) error {
	if len(c.Turns) == 0 || c.Turns[0].Role != "owner" || c.Turns[len(c.Turns)-1].Role != "pet" {
		return fmt.Errorf("dataset: Encode %q: the turns must start with the owner and end with the cat", title)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n", literal(title))
	fmt.Fprintf(&b, "mood: %s\n", literal(c.Mood))
	if c.PetName != "" {
		fmt.Fprintf(&b, "pet: %s\n", literal(c.PetName))
	}
	for _, f := range c.Facts {
		fmt.Fprintf(&b, "fact: %s\n", literal(f))
	}
	for i, t := range c.Turns {
		want := "owner"
		if i%2 == 1 {
			want = "pet"
		}
		if t.Role != want {
			return fmt.Errorf("dataset: Encode %q: turn %d is the %s's; owner and cat must alternate", title, i+1, t.Role)
		}
		key := "owner"
		if t.Role == "pet" {
			key = "cat"
		}
		fmt.Fprintf(&b, "%s: %s\n", key, literal(t.Text))
	}
	b.WriteString("\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// literal escapes what the template syntax would read as its own.
var literal = strings.NewReplacer(`\`, `\\`, "{", `\{`, "}", `\}`, "|", `\|`, "\r\n", " ", "\n", " ", "\r", " ").Replace
