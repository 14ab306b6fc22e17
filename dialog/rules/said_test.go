package rules

import (
	"strings"
	"testing"

	"github.com/purrd/purrd/dialog"
)

// A question about something kept in the owner's words is answered with
// that sentence, turned to the owner, whatever else is remembered.
func TestRecallFromSaidFacts(t *testing.T) {
	facts := []string{
		"owner's name is Edna",
		"I was a baker for thirty years",
		"My grandson Alfie phones every Friday",
		"The cat across the road is called Smudge",
		"I'm allergic to cats' fur, oddly",
	}
	zhFacts := []string{"owner's name is 王芳", "我对花生过敏", "我孙子小军每个周六都来吃午饭"}
	for _, c := range []struct {
		ask, lang string
		facts     []string
		want      string
	}{
		{"Who phones me on Fridays, then?", "en", facts, "Your grandson Alfie phones every Friday"},
		{"What's the cat across the road called?", "en", facts, "The cat across the road is called Smudge"},
		{"How many years was I a baker, do you remember?", "en", facts, "You were a baker for thirty years"},
		{"我对什么过敏来着？", "zh", zhFacts, "你对花生过敏"},
		{"周六谁来吃午饭？", "zh", zhFacts, "你孙子小军每个周六都来吃午饭"},
	} {
		for seed := uint64(1); seed <= 4; seed++ {
			intent, got := New(nil, seed, nil).Compose(req(c.ask, c.lang, "content", c.facts...))
			if intent != saidIntent || !strings.Contains(got, c.want) {
				t.Errorf("seed %d: %q -> %s %q, want %s with %q", seed, c.ask, intent, got, saidIntent, c.want)
			}
		}
	}
	// Not a test of memory: a question that shares no content word, one
	// that asks for no thing told, and a statement.
	for _, ask := range []string{"What shall we do today?", "Do you like cats?", "My grandson phones on Fridays."} {
		if intent, got := New(nil, 1, nil).Compose(req(ask, "en", "content", facts...)); intent == saidIntent {
			t.Errorf("%q answered from memory: %q", ask, got)
		}
	}
}

func TestToOwner(t *testing.T) {
	for in, want := range map[string]string{
		"I'm allergic to pollen":                       "You're allergic to pollen",
		"I am a retired nurse":                         "You are a retired nurse",
		"My daughter rings me on Tuesdays":             "Your daughter rings you on Tuesdays",
		"I was born in Leeds, my home town":            "You were born in Leeds, your home town",
		"我以前是老师":                                       "你以前是老师",
		"He wants it by the 21st. I'm at 71,300 words": "He wants it by the 21st. You're at 71,300 words",
	} {
		if got := toOwner(in, "en"); got != want {
			t.Errorf("toOwner(%q) = %q, want %q", in, got, want)
		}
	}
}

// What the owner told a few turns ago and no fact keeps is said back
// when asked, turned to the owner.
func TestRecallFromTalk(t *testing.T) {
	for _, c := range []struct {
		ask, lang, told, want string
	}{
		{"When's my dentist appointment?", "en", "The dentist appointment got moved to Thursday at ten.", "The dentist appointment got moved to Thursday at ten"},
		{"What did I say I'm cooking tonight?", "en", "I'm cooking my mum's lamb stew tonight.", "You're cooking your mum's lamb stew tonight"},
		{"我刚才说明天几点去银行来着？", "zh", "明天上午九点要去银行办张卡。", "明天上午九点要去银行办张卡"},
	} {
		r := req(c.ask, c.lang, "content")
		r.History = []dialog.Turn{{Role: "owner", Text: c.told}, {Role: "pet", Text: "Mrrp."}}
		for seed := uint64(1); seed <= 4; seed++ {
			intent, got := New(nil, seed, nil).Compose(r)
			if intent != saidIntent || !strings.Contains(got, c.want) {
				t.Errorf("seed %d: %q -> %s %q, want %s with %q", seed, c.ask, intent, got, saidIntent, c.want)
			}
		}
	}
}

// A question the keywords take for the owner's name ("你还记得我…") that
// asks for something the owner told is answered from the talk; one that
// asks for the name itself is not.
func TestOwnerNameGuessYieldsToTalk(t *testing.T) {
	told := []dialog.Turn{{Role: "owner", Text: "我打算报考南京的东南大学，目标六百二十分。"}, {Role: "pet", Text: "喵。"}}
	r := req("你还记得我说想考哪个学校吗？", "zh", "content")
	if in := New(nil, 1, nil).intent(r.Text, "", "Mochi", "麻糬"); !strings.HasPrefix(in, "owner_name") {
		t.Fatalf("%q is %s, not an owner's name: the case below tests nothing", r.Text, in)
	}
	r.History = told
	for seed := uint64(1); seed <= 4; seed++ {
		intent, got := New(nil, seed, nil).Compose(r)
		if intent != saidIntent || !strings.Contains(got, "东南大学") {
			t.Errorf("seed %d: %s %q, want %s with 东南大学", seed, intent, got, saidIntent)
		}
	}
	name := req("我叫什么来着？", "zh", "content", "owner's name is 小周")
	name.History = told
	if intent, got := New(nil, 1, nil).Compose(name); intent != "owner_name" || !strings.Contains(got, "小周") {
		t.Errorf("我叫什么来着？ -> %s %q, want owner_name with 小周", intent, got)
	}
}

// The pet called by name and a turn of topic open the owner's sentence,
// not the fact: said back, the pet would call itself by its own name.
func TestSaidBackWithoutOpening(t *testing.T) {
	names := []string{"Mochi", "麻糬"}
	for in, want := range map[string]string{
		"Mochi, Ebuka lost his first tooth at dinner. So we fly to Lagos on the 18th.": "Ebuka lost his first tooth at dinner. So we fly to Lagos on the 18th.",
		"Anyway, I need a five-dollar bill by bedtime":                                 "I need a five-dollar bill by bedtime",
		"Oh, and by the way, the vet is at four":                                       "The vet is at four",
		"Also, I promised Gran a scone":                                                "I promised Gran a scone",
		"麻糬，今天在回民街旁边那个小剧场演了两场。":                                                        "今天在回民街旁边那个小剧场演了两场。",
		"对了，下周二老公要去泉州进货，要我记得给他带充电宝。":                                                   "下周二老公要去泉州进货，要我记得给他带充电宝。",
		"麻糬，对了，周六你外婆过生日。":                                                              "周六你外婆过生日。",
		// Left whole: no opening, or nothing after it.
		"Mochi is named after a rice cake":       "Mochi is named after a rice cake",
		"Mochi's vet is Dr Hale":                 "Mochi's vet is Dr Hale",
		"Anyways is not a word, my teacher says": "Anyways is not a word, my teacher says",
		"Also-rans, all of them":                 "Also-rans, all of them",
		"还有三天就放假了":                               "还有三天就放假了",
		"对了吗？":                                   "对了吗？",
		"Mochi!":                                 "Mochi!",
		"Also I promised Gran a scone":           "Also I promised Gran a scone",
		"and he brought me a cactus":             "and he brought me a cactus",
		"And, she wants it for the tasting":      "She wants it for the tasting",
	} {
		if got := withoutOpening(in, names); got != want {
			t.Errorf("withoutOpening(%q) = %q, want %q", in, got, want)
		}
	}
	// Through the brain: asked back, the told sentence comes without it.
	r := req("What did I say about the charger?", "en", "content")
	r.History = []dialog.Turn{{Role: "owner", Text: "Oh, and Mochi, remind me to pack the phone charger for Tuesday."}, {Role: "pet", Text: "Mrrp."}}
	for seed := uint64(1); seed <= 4; seed++ {
		intent, got := New(nil, seed, nil).Compose(r)
		if intent != saidIntent || !strings.Contains(got, "Remind you to pack the phone charger for Tuesday") || strings.Contains(got, "Mochi") {
			t.Errorf("seed %d: %s %q, want %s with the sentence and no \"Mochi\"", seed, intent, got, saidIntent)
		}
	}
}
