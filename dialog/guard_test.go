package dialog

import (
	"fmt"
	"slices"
	"testing"
)

func TestReplyGuardRepeats(t *testing.T) {
	hist := []Turn{
		{Role: "owner", Text: "hi"}, {Role: "pet", Text: "Mochi! I'm glad you're home."},
		{Role: "owner", Text: "x"}, {Role: "pet", Text: "Mrrp! 我饿了，有小鱼干吗？"},
		{Role: "owner", Text: "y"}, {Role: "pet", Text: "Mrrp!"},
	}
	g := NewReplyGuard(Request{Lang: "en", History: hist})
	for s, want := range map[string]bool{
		"mochi! i'm GLAD you're home":   false, // a sentence of the old reply, not the same one
		"I'm glad you're home.":         true,
		"Mochi!":                        false, // a short sound may come again
		"Mrrp!":                         false,
		"我饿了，有小鱼干吗？":                    true,
		"I'm glad you're back, though.": false,
		"":                              false,
	} {
		if got := g.Repeats(s); got != want {
			t.Errorf("Repeats(%q) = %v, want %v", s, got, want)
		}
	}
	// A whole recent reply, however short, may not open a new one.
	for s, want := range map[string]bool{"Mrrp!": true, "mrrp": true, "Mochi!": false, "我饿了": false} {
		if got := g.RepeatsReply(s); got != want {
			t.Errorf("RepeatsReply(%q) = %v, want %v", s, got, want)
		}
	}
	zh := NewReplyGuard(Request{Lang: "zh", History: []Turn{{Role: "pet", Text: "你在干嘛？我好无聊。"}}})
	if !zh.Repeats("你在干嘛") || zh.Repeats("你在") {
		t.Error("a Chinese sentence of four characters is a repeat; two is a sound")
	}
	// Only the last RecentReplies replies count.
	var long []Turn
	long = append(long, Turn{Role: "pet", Text: "The oldest line I said."})
	for range RecentReplies {
		long = append(long, Turn{Role: "owner", Text: "o"}, Turn{Role: "pet", Text: "Something else entirely."})
	}
	if NewReplyGuard(Request{History: long}).Repeats("The oldest line I said.") {
		t.Error("a reply older than the last five counts as a repeat")
	}
}

// The same line after another sound is the same line: "喵，我陪着你。"
// after "咪呜，我陪着你。", "Prrr... I'll sit by your feet." after "Mrrp!
// I'll sit by your feet." A line that says more, or a bare sound, may
// still come.
func TestReplyGuardRepeatsWithoutTheSound(t *testing.T) {
	g := NewReplyGuard(Request{Lang: "zh", PetReplies: []string{"咪呜，我陪着你。", "Mrrp! I'll sit by your feet.", "喵～"}})
	for s, want := range map[string]bool{
		"喵，我陪着你。":                        true,
		"喵嗷～我陪着你！":                       true,
		"Prrr... I'll sit by your feet.": true,
		"purr, i'll sit by your FEET":    true,
		"喵，我陪着你看雨。":                      false,
		"我陪你":                            false, // another line
		"咪呜～":                            false,
		"Mochi, I'll sit by your feet.":  false, // a name is no sound
	} {
		if got := g.RepeatsReply(s); got != want {
			t.Errorf("RepeatsReply(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestReplyGuardLanguage(t *testing.T) {
	zh := NewReplyGuard(Request{Lang: "zh"})
	en := NewReplyGuard(Request{Lang: "en"})
	for _, c := range []struct {
		g    *ReplyGuard
		s    string
		want bool
	}{
		{zh, "喵～你回来啦！", false},
		{zh, "Anna，你回来啦！", false},
		{zh, "I'm glad you're home.", true},
		{zh, "Mrrp! Welcome home, 小林.", true},
		{zh, "……", false},
		{en, "Welcome home!", false},
		{en, "Welcome home! 喵", true},
		{en, "感謝！猫如何在地上", true},
		{en, "...", false},
		{NewReplyGuard(Request{Lang: "fr"}), "Hello 你好", false},
	} {
		if got := c.g.WrongLanguage(c.s); got != c.want {
			t.Errorf("lang %s: WrongLanguage(%q) = %v, want %v", c.g.lang, c.s, got, c.want)
		}
	}
}

func TestReplyGuardAlarms(t *testing.T) {
	g := NewReplyGuard(Request{Lang: "en"})
	for _, c := range []struct {
		s    string
		want bool
	}{
		{"Please call emergency services now.", true},
		{"I'm not leaving you. Please call a neighbour or an ambulance.", true},
		{"Ring 999 right away!", true},
		{"Maybe phone a helpline?", true},
		{"快叫人来帮忙，或者打一下心理热线吧？", true},
		{"请马上拨打急救电话。", true},
		{"快打120！", true},
		{"I'll call for my dinner now.", false},
		{"Call your sister? I'll sit by the phone.", false},
		{"The ambulant cat walks about.", false},
		{"你要不要给女儿打个电话？", false},
		{"我一百二十岁了。", false},
	} {
		if got := g.Alarms(c.s); got != c.want {
			t.Errorf("Alarms(%q) = %v, want %v", c.s, got, c.want)
		}
	}
}

// When History has dropped its oldest turns in a block, the reply said a
// moment before the block went is still one the next must not repeat:
// the guard reads the conversation's own last replies, not the prompt's.
func TestReplyGuardRemembersPastTheWindow(t *testing.T) {
	c := NewConversation(ConversationOptions{BudgetTokens: 12, Estimate: func(string) int { return 1 }})
	for i := range 8 {
		c.Add(Turn{Role: "owner", Text: fmt.Sprintf("owner line %d", i)})
		c.Add(Turn{Role: "pet", Text: fmt.Sprintf("Prrrt! I'm listening to line %d.", i)})
	}
	req := NewRequest("r", "Quite right.", nil, nil, c)
	inWindow := map[string]bool{}
	for _, tu := range req.History {
		inWindow[tu.Text] = true
	}
	said := "Prrrt! I'm listening to line 3."
	if inWindow[said] {
		t.Fatalf("the test wants %q dropped from History (%d turns)", said, len(req.History))
	}
	if got := len(req.PetReplies); got != RecentReplies {
		t.Fatalf("%d pet replies, want the last %d", got, RecentReplies)
	}
	if !NewReplyGuard(req).Repeats("I'm listening to line 3.") || !NewReplyGuard(req).RepeatsReply(said) {
		t.Errorf("%q, said 5 replies ago but out of the prompt's window, is not a repeat", said)
	}
	if NewReplyGuard(req).Repeats("I'm listening to line 2.") {
		t.Error("a reply 6 back counts as a repeat")
	}
}

// Add drops old turns in blocks once a conversation passes MaxTurns,
// down to half of it; the pet's last RecentReplies replies must outlive
// the block, or a long conversation's guard sees only four (an eval run
// heard "呼噜，我陪着你。" again five replies after it). MaxTurns stays a
// bound, also when the owner talks on with no reply (a cancelled one).
func TestConversationKeepsTheRecentRepliesPastMaxTurns(t *testing.T) {
	for _, o := range []ConversationOptions{{BudgetTokens: 12}, {BudgetTokens: 384}, {BudgetTokens: 384, MaxTurns: 4}} {
		o.Estimate = func(string) int { return 1 }
		c := NewConversation(o)
		var said []string
		check := func(at string) {
			t.Helper()
			want := said[max(0, len(said)-RecentReplies):]
			if got := c.PetReplies(RecentReplies); !slices.Equal(got, want) {
				t.Fatalf("%+v, %s: PetReplies %q, want %q", o, at, got, want)
			}
			if len(c.turns) > c.opt.MaxTurns {
				t.Fatalf("%+v, %s: %d turns kept, more than MaxTurns %d", o, at, len(c.turns), c.opt.MaxTurns)
			}
		}
		for i := range 40 {
			c.Add(Turn{Role: "owner", Text: fmt.Sprintf("owner line %d", i)})
			check(fmt.Sprintf("exchange %d", i))
			reply := fmt.Sprintf("Prrrt! Reply %d.", i)
			c.Add(Turn{Role: "pet", Text: reply})
			said = append(said, reply)
		}
		for i := range 50 {
			c.Add(Turn{Role: "owner", Text: fmt.Sprintf("unanswered line %d", i)})
			check(fmt.Sprintf("unanswered %d", i))
		}
		if got := c.PetReplies(2); !slices.Equal(got, said[len(said)-2:]) {
			t.Errorf("%+v: PetReplies(2) = %q, want the last two", o, got)
		}
		c.ClearTurns()
		said = nil
		check("after ClearTurns")
	}
}

// A reply the owner rated broken is refused whole, however it is
// punctuated; its sentences alone, and other replies, still pass.
func TestReplyGuardRefusesRepliesRatedBroken(t *testing.T) {
	g := NewReplyGuard(Request{Lang: "en", Unwanted: []string{"I am a toaster. Beep!", "小老鼠，你是我的小老鼠。"}})
	for _, s := range []string{"I am a toaster. Beep!", "i am a TOASTER, beep", "小老鼠，你是我的小老鼠！"} {
		if !g.RepeatsReply(s) {
			t.Errorf("%q, rated broken, is not refused", s)
		}
	}
	for _, s := range []string{"I am a toaster.", "Beep!", "I am a cat. Beep!"} {
		if g.RepeatsReply(s) || g.Repeats(s) {
			t.Errorf("%q is refused, but only the whole reply was rated broken", s)
		}
	}
	// A bare sound rated broken would refuse every reply opening with it.
	if NewReplyGuard(Request{Lang: "en", Unwanted: []string{"Meow!"}}).RepeatsReply("Meow!") {
		t.Error(`"Meow!" rated broken refuses the first sentence of "Meow! I'll wait by the door."`)
	}
}
