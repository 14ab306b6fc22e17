package dataset

import (
	"regexp"
	"strings"
	"testing"
)

// TestTrainingData checks the real set in training/data against what the
// training needs: size, language balance, multi-turn share, reply limits,
// no claimed owner facts and little repetition.
func TestTrainingData(t *testing.T) {
	const dir = "../data"
	convs, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	var exchanges, zh, multi int
	seen := map[string]int{}
	langs := map[string]int{}
	idForm := regexp.MustCompile(`^[a-z]+(-[a-z]+)?\.(en|zh|mix)\.conv:\d+#\d+$`)
	ids := map[string]bool{}
	for _, c := range convs {
		if !idForm.MatchString(c.ID) || ids[c.ID] {
			t.Errorf("bad or repeated ID %q", c.ID)
		}
		ids[c.ID] = true
		langs[c.Lang]++
		if c.Mood == "" || c.PetName == "" {
			t.Errorf("%s: empty mood or pet name", c.ID)
		}
		n := len(c.Turns) / 2
		if len(c.Turns)%2 != 0 || n == 0 || n > 6 {
			t.Errorf("%s: %d turns, want 2..12 and even", c.ID, len(c.Turns))
		}
		if n > 1 {
			multi++
		}
		for i, turn := range c.Turns {
			want := "owner"
			if i%2 == 1 {
				want = "pet"
			}
			if turn.Role != want {
				t.Errorf("%s: turn %d has role %q, want %q", c.ID, i, turn.Role, want)
			}
			if turn.Role != "pet" {
				continue
			}
			exchanges++
			seen[turn.Text]++
			if HasHan(turn.Text) {
				zh++
				if n := ReplyLength(turn.Text); n > MaxReplyCharsZh {
					t.Errorf("%s: reply of %d characters: %q", c.ID, n, turn.Text)
				}
			} else if n := len(strings.Fields(turn.Text)); n > MaxReplyWordsEn {
				t.Errorf("%s: reply of %d words: %q", c.ID, n, turn.Text)
			}
			if claimsOwnerFact(turn.Text, c.Facts) {
				t.Errorf("%s: reply %q claims one of the owner's facts %q", c.ID, turn.Text, c.Facts)
			}
			if l := strings.ToLower(turn.Text); strings.Contains(l, "i feel "+c.Mood) || strings.Contains(l, "mood") || strings.Contains(turn.Text, "心情：") {
				t.Errorf("%s: reply %q states the mood as a label", c.ID, turn.Text)
			}
		}
	}
	if exchanges < 3000 {
		t.Errorf("%d exchanges, want at least 3000", exchanges)
	}
	if share := float64(zh) / float64(exchanges); share < 0.45 || share > 0.55 {
		t.Errorf("Chinese replies are %.1f%% of exchanges, want 45-55%%", 100*share)
	}
	if share := float64(multi) / float64(len(convs)); share < 0.25 {
		t.Errorf("%.1f%% of conversations are multi-turn, want at least 25%%", 100*share)
	}
	for _, l := range []string{"en", "zh", "mix"} {
		if langs[l] == 0 {
			t.Errorf("no %s conversations", l)
		}
	}
	for text, n := range seen {
		if n > 5 {
			t.Errorf("reply repeated %d times: %q", n, text)
		}
	}
	// The talk-* conversations were written out in full, each reply once.
	written := map[string]string{}
	for _, c := range convs {
		if !strings.HasPrefix(c.ID, "talk-") {
			continue
		}
		for _, turn := range c.Turns {
			if turn.Role != "pet" {
				continue
			}
			if first, ok := written[turn.Text]; ok {
				t.Errorf("%s: %s says %q again (first in %s)", dir, c.ID, turn.Text, first)
			}
			written[turn.Text] = c.ID
		}
	}
	if len(written) < 2000 {
		t.Errorf("%s: %d replies in talk-* conversations, want the 2,000 and more written", dir, len(written))
	}
	t.Logf("%d conversations (%v), %d exchanges, %.1f%% Chinese, %.1f%% multi-turn",
		len(convs), langs, exchanges, 100*float64(zh)/float64(exchanges), 100*float64(multi)/float64(len(convs)))
}

// claimsOwnerFact is the test's own, independent wording of the rule: a
// value the owner likes must not follow a first-person verb in the reply.
func claimsOwnerFact(reply string, facts []string) bool {
	low := strings.ToLower(reply)
	for _, f := range facts {
		var v string
		switch {
		case strings.HasPrefix(f, "owner's name is "):
			v = strings.TrimPrefix(f, "owner's name is ")
			if strings.Contains(low, "my name is "+strings.ToLower(v)) || strings.Contains(reply, "我叫"+v) {
				return true
			}
			continue
		case strings.HasPrefix(f, "owner likes "):
			v = strings.TrimPrefix(f, "owner likes ")
		case strings.HasPrefix(f, "owner's favourite "):
			_, v, _ = strings.Cut(f, " is ")
		default:
			continue
		}
		v = strings.ToLower(v)
		for _, p := range []string{"i drink ", "i like ", "i love ", "i enjoy ", "i do ", "my favourite is ", "我喜欢", "我也喜欢", "我爱", "我也", "我喝"} {
			if strings.Contains(low, p+v) {
				return true
			}
		}
	}
	return false
}
