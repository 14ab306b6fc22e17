package dialog

import (
	"slices"
	"testing"
)

// The cases are replies raters called broken on the fresh everyday-talk
// sets (docs/eval/fresh-talk*), and their fitting neighbours.
func TestReplyGuardMisquotes(t *testing.T) {
	for _, c := range []struct {
		text, hist, reply string
		want              bool
	}{
		{"Going to get chicken rice and calm down. Six dollars of therapy.", "", "Five dollars! I'll sit on the table.", true},
		{"Going to get chicken rice and calm down. Six dollars of therapy.", "", "Six dollars well spent!", false},
		{"麻糬，我回来了。今天在工地热到爆，三十四度。", "", "喵，四十度！我趴你腿上。", true},
		{"麻糬，我回来了。今天在工地热到爆，三十四度。", "", "三十四度！快喝口水。", false},
		{"字数上限是多少来着？", "她还说总字数要控制在八万字以内，我现在写到九万二了。", "八万二，我只懂睡觉。", true},
		{"字数上限是多少来着？", "她还说总字数要控制在八万字以内，我现在写到九万二了。", "八万字以内，我记得！", false},
		{"我那个探方编号是多少来着？", "我负责T0715这个探方。", "815。我只记得是第0715。", true},
		{"What date did I say the flight is?", "Dubai to Manila, 19th of December, leaving 11:40 at night.", "December 19, 2020.", true},
		{"What date did I say the flight is?", "Dubai to Manila, 19th of December, leaving 11:40 at night.", "The 19th, at 11:40!", false},
		// Asked for its guess, the cat may give a figure of its own.
		{"你说我能钓上来多大的？", "", "喵！我能钓到两条三斤的草鱼。", false},
		{"How many do you think I'll sell tomorrow?", "", "Twenty! At least.", false},
		// No figure talked of: a cat may count to ten.
		{"Twenty minutes of quiet. Let's make them count.", "", "I'll count to twenty.", false},
		{"Let's have some quiet.", "", "I'll count to ten.", false},
	} {
		req := Request{Lang: DetectLangOr(c.text, "en"), Text: c.text, PetName: "Mochi"}
		if c.hist != "" {
			req.History = []Turn{{Role: "owner", Text: c.hist}, {Role: "pet", Text: "Mrrp!"}}
		}
		if got := NewReplyGuard(req).Misquotes(c.reply); got != c.want {
			t.Errorf("after %q, Misquotes(%q) = %v, want %v", c.text, c.reply, got, c.want)
		}
	}
}

func TestReplyGuardMixesUpWho(t *testing.T) {
	for _, c := range []struct {
		text, hist, pet string
		facts           []string
		reply           string
		want            bool
	}{
		{"What did Greg ask about you?", "Greg from accounting asked if you're real.", "Mochi", nil, "Mrrp! I'm Mochi, you're Greg.", true},
		{"Oh mate, what was the flight number again?", "", "Mochi", nil, "I'm Tim, you're Mochi.", true},
		{"Okay, pop quiz: what does he do for work?", "Gabriel is a carpenter.", "Mochi", nil, "You're Gabriel.", true},
		{"The sky part is all the exact same blue.", "My buddy Marcus texted me.", "Mochi", []string{"owner's name is Ana"}, "I'm Mochi, you are Marcus.", true},
		{"I'm trying Bernie's leek and potato soup.", "", "Mochi", nil, "I'm Mochi!", true},
		{"Who's the best cat in the house?", "", "Mochi", nil, "I'm Mochi!", false},
		{"What's your name, little one?", "", "Mochi", nil, "I'm Mochi, your cat.", false},
		{"Good night.", "", "Mochi", []string{"owner's name is Ana"}, "Night night, you're Ana to me forever.", false},
		{"Don't give me that look.", "", "Mochi", nil, "I'm very serious.", false},
		{"Thanks, I needed that.", "", "Mochi", nil, "You're welcome! I'm here.", false},
		{"哎，麻糬，我晚上约的是谁来着？", "表哥帮我约了阿伟吃饭。", "麻糬", nil, "你是阿伟，我的是麻糬。", true},
		{"你说我妈那边看到的月亮，跟我这个是同一个吗？", "", "麻糬", nil, "咪呜，你是我。", true},
		{"你说我妈那边看到的月亮，跟我这个是同一个吗？", "", "麻糬", nil, "你是我的月亮。", false},
		{"今天好累。", "", "麻糬", nil, "我是麻糬，我陪着你。", true},
		{"你叫什么名字呀？", "", "麻糬", nil, "我叫麻糬！", false},
		{"我同事小谭今天腿都在抖。", "", "麻糬", nil, "你是小谭，我趴你腿上。", true},
		{"我一个小时后回来。", "", "麻糬", nil, "喵，我是小猫，我等你。", false},
	} {
		req := Request{Lang: DetectLangOr(c.text, "en"), Text: c.text, PetName: c.pet, Facts: c.facts}
		if c.hist != "" {
			req.History = []Turn{{Role: "owner", Text: c.hist}, {Role: "pet", Text: "Mrrp!"}}
		}
		if got := NewReplyGuard(req).MixesUpWho(c.reply); got != c.want {
			t.Errorf("after %q, MixesUpWho(%q) = %v, want %v", c.text, c.reply, got, c.want)
		}
	}
}

func TestReplyGuardGarbles(t *testing.T) {
	g := NewReplyGuard(Request{Lang: "zh"})
	for s, want := range map[string]bool{
		"喵嗷，我帮你看着你。":    true,
		"累了！我帮你趴你腿上。":   true,
		"陪着你，我帮你守着你的腿。": false, // odd, but good Chinese: "your leg"
		"我帮你看着你的包！":     false,
		"你一定很爱你妈妈吧！":    false,
		"你知道我爱你吗？":      false,
		"谢谢你我爱你！":       false,
		"喵，你一定很爱你。":     true,
		"喵嗷，我帮你看着。":     false,
		"我趴你腿上陪你。":      false,
		"她一定很爱你。":       false,
		"你对我真好，我也爱你。":   false,
	} {
		if got := g.Garbles(s); got != want {
			t.Errorf("Garbles(%q) = %v, want %v", s, got, want)
		}
	}
}

// What the review of the checks found refused wrongly, and is not now.
func TestReplyGuardMisstatesNoMore(t *testing.T) {
	for _, c := range []struct {
		text, pet, reply string
	}{
		{"How old are you, Mochi?", "Mochi", "Two years of pure fluff!"},
		{"你几岁了？", "麻糬", "我两岁啦！"},
		{"How many treats do you want?", "Mochi", "Three! No, five."},
		{"我今天走了5公里。", "麻糬", "我十分佩服你！"},
		{"Dinner's at half past seven.", "Mochi", "7:30, got it!"},
		{"Hi there, I'm Greg!", "Mochi", "Nice to meet you, Greg! I'm Mochi."},
		{"Hi there, I'm Greg!", "Mochi", "You're Greg! Hello!"},
		{"Who's my favourite?", "Mochi", "You're Mochi's favourite human!"},
		{"What's your name?", "Mr Whiskers", "I'm Mr Whiskers, at your service."},
		{"小白，你叫什么名字？", "小白", "我是小白！"},
	} {
		g := NewReplyGuard(Request{Lang: DetectLangOr(c.text, "en"), Text: c.text, PetName: c.pet})
		for _, s := range SplitSentences(c.reply) {
			if g.Misquotes(s) || g.MixesUpWho(s) {
				t.Errorf("after %q, %q is refused (Misquotes %v, MixesUpWho %v)", c.text, s, g.Misquotes(s), g.MixesUpWho(s))
			}
		}
	}
}

func TestZhNames(t *testing.T) {
	for _, c := range []struct {
		text string
		want []string
	}{
		{"他叫陈屿，在深圳上班", []string{"陈屿"}},
		{"新来的小工叫幺妹，才十九岁", []string{"幺妹"}},
		{"老细话下个礼拜三请个后生仔嚟学师，叫阿Ken", []string{"阿Ken"}},
		{"我同事叫Jason，人很好", []string{"Jason"}},
		{"制作人阿June说周五下午三点前一定要交", []string{"阿June"}},
		{"表哥帮我约了阿伟吃饭", []string{"阿伟"}},
		{"今天好累", nil},
	} {
		if got := zhNames(c.text); !slices.Equal(got, c.want) {
			t.Errorf("zhNames(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
