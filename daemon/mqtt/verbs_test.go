package mqtt

import (
	"encoding/json"
	"errors"
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
		if _, err := DecodeCommand("cmd/"+v, []byte(`{"id":"x"}`), false, testMaxPayload); err != nil && v != VerbChat && v != VerbSet && v != VerbRate {
			t.Errorf("cmd/%s: %v", v, err)
		}
	}
	// The verbs with required fields say so by name.
	for v, field := range map[string]string{VerbChat: `"text"`, VerbSet: `"name"`, VerbRate: `"reply_id"`} {
		if _, err := DecodeCommand("cmd/"+v, []byte(`{"id":"x"}`), false, testMaxPayload); !errors.Is(err, ErrMissing) || !strings.Contains(err.Error(), field) {
			t.Errorf("cmd/%s without its fields: %v, want a missing_field naming %s", v, err, field)
		}
	}
	_, err = DecodeCommand("cmd/dance", nil, false, testMaxPayload)
	if want := "(verbs: " + strings.Join(documented, ", ") + ")"; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unknown verb: %v; want it to name %s", err, want)
	}
}

// TestDocumentedTemplatesAndCodes: docs/mqtt.md shows the Home Assistant
// templates the discovery really sends, and its error table lists every
// code the link can answer; a change to either without the docs fails.
func TestDocumentedTemplatesAndCodes(t *testing.T) {
	raw, err := os.ReadFile("../../docs/mqtt.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := strings.ReplaceAll(string(raw), `\|`, "|")
	l := &Link{o: Options{RobotID: "kitchen-cat", BaseTopic: "purr/kitchen-cat", HAPrefix: "homeassistant"}, avail: "purr/kitchen-cat/availability"}
	checked := 0
	for _, m := range l.discovery() {
		var c map[string]any
		if err := json.Unmarshal(m.payload, &c); err != nil {
			t.Fatal(err)
		}
		tmpl, _ := c["value_template"].(string)
		if tmpl == "" || strings.Contains(m.topic, "/event/") {
			continue // the event entity's template is described, not shown
		}
		checked++
		if !strings.Contains(doc, "`"+tmpl+"`") {
			t.Errorf("%s: value_template %s is not the one docs/mqtt.md shows", m.topic, tmpl)
		}
	}
	if checked < 5 { // mood, battery, temperature, humidity, asleep
		t.Errorf("checked %d sensor templates, want at least 5", checked)
	}
	for _, e := range errorCodes {
		if !strings.Contains(doc, "| `"+e.code+"` |") {
			t.Errorf("error code %s is missing from docs/mqtt.md's error table", e.code)
		}
	}
}
