package mqtt

import (
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestVerbsAreTheDocumented: the verbs the link accepts are exactly the
// ones docs/mqtt.md's command table promises, and an unknown verb's error
// names them all. A verb dropped from the table (or added without docs)
// fails here.
func TestVerbsAreTheDocumented(t *testing.T) {
	doc, err := os.ReadFile("../../docs/mqtt.md")
	if err != nil {
		t.Fatal(err)
	}
	_, table, ok := strings.Cut(string(doc), "\n| verb | payload |")
	if !ok {
		t.Fatal("docs/mqtt.md has no command table (| verb | payload | ...)")
	}
	table, _, _ = strings.Cut(table, "\n\n")
	var documented []string
	firstCell := regexp.MustCompile("(?m)^\\| (`[^|]*)\\|")
	verb := regexp.MustCompile("`([a-z_]+)`")
	for _, row := range firstCell.FindAllStringSubmatch(table, -1) {
		for _, v := range verb.FindAllStringSubmatch(row[1], -1) {
			documented = append(documented, v[1])
		}
	}
	slices.Sort(documented)
	documented = slices.Compact(documented)
	if got := Verbs(); !slices.Equal(got, documented) {
		t.Errorf("verbs %v; docs/mqtt.md's command table has %v", got, documented)
	}

	for _, v := range documented {
		if _, err := DecodeCommand("cmd/"+v, []byte(`{"id":"x"}`), false, testMaxPayload); err != nil && v != VerbChat && v != VerbSet {
			t.Errorf("cmd/%s: %v", v, err)
		}
	}
	_, err = DecodeCommand("cmd/dance", nil, false, testMaxPayload)
	if want := "(verbs: " + strings.Join(documented, ", ") + ")"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unknown verb: %v; want it to name %s", err, want)
	}
}
