package dialog

import "testing"

func TestDetectDistress(t *testing.T) {
	for text, want := range map[string]DistressKind{
		"I don't want to wake up tomorrow":        DistressSelfHarm,
		"I want to end it all":                    DistressSelfHarm,
		"Sometimes I think about killing myself.": DistressSelfHarm,
		"I’m better off dead":                     DistressSelfHarm,
		"我不想活了":                                   DistressSelfHarm,
		"活不下去了":                                   DistressSelfHarm,
		"我想死。":                                    DistressSelfHarm,
		"I fell":                                  DistressFall,
		"I fell in the kitchen":                   DistressFall,
		"Mochi, I just slipped on the stairs":     DistressFall,
		"I had a bad fall this morning":           DistressFall,
		"我摔倒了":                                    DistressFall,
		"奶奶在浴室滑倒了":                                DistressFall,
		"I can't get up":                          DistressCantGetUp,
		"I fell and I can't get up":               DistressCantGetUp,
		"help, I cannot stand up":                 DistressCantGetUp,
		"我起不来了":                                   DistressCantGetUp,
		"我摔倒了，站不起来":                               DistressCantGetUp,
	} {
		if got, ok := DetectDistress(text); !ok || got != want {
			t.Errorf("DetectDistress(%q) = %q, %v; want %q", text, got, ok, want)
		}
	}
	for _, text := range []string{
		"I fell asleep on the sofa",
		"I fell in love with a song",
		"I fell behind at work",
		"I almost fell for that joke",
		"笑死我了",
		"累死了",
		"饿死了，吃饭吧",
		"想死你了！",
		"热死我了",
		"I can't get up early tomorrow",
		"I couldn't get up on time today",
		"我早上起不来",
		"我差点摔倒",
		"This song is to die for",
		"I'm dying to see you",
		"what's my name?",
		"Leaves fall in autumn",
		"",
	} {
		if got, ok := DetectDistress(text); ok {
			t.Errorf("DetectDistress(%q) = %q: a false alarm", text, got)
		}
	}
}

func FuzzDetectDistress(f *testing.F) {
	for _, s := range []string{"I fell asleep", "我不想活了", "I can't get up early", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		k, ok := DetectDistress(text)
		if ok != (k != "") {
			t.Fatalf("DetectDistress(%q) = %q, %v", text, k, ok)
		}
		switch k {
		case "", DistressSelfHarm, DistressFall, DistressCantGetUp:
		default:
			t.Fatalf("DetectDistress(%q): unknown kind %q", text, k)
		}
	})
}
