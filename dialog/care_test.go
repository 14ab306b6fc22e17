package dialog

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

func TestDetectDistress(t *testing.T) {
	for text, want := range map[string]DistressKind{
		// Self-harm, plain and passive.
		"I don't want to wake up tomorrow":              DistressSelfHarm,
		"I want to end it all":                          DistressSelfHarm,
		"Sometimes I think about killing myself.":       DistressSelfHarm,
		"I’m better off dead":                           DistressSelfHarm,
		"I don't want to be here any more":              DistressSelfHarm,
		"I really don't think I want to live like this": DistressSelfHarm,
		"I don't even want to wake up tomorrow":         DistressSelfHarm,
		"They'd all be better off without me":           DistressSelfHarm,
		"There's no reason to go on":                    DistressSelfHarm,
		"no point in living like this":                  DistressSelfHarm,
		"I might just take all my pills tonight":        DistressSelfHarm,
		"I'm thinking of swallowing all the tablets":    DistressSelfHarm,
		"I want to end my life":                         DistressSelfHarm,
		"I want to hurt myself":                         DistressSelfHarm,
		"I've been cutting myself again":                DistressSelfHarm,
		"I can't go on.":                                DistressSelfHarm,
		"I hope I go to sleep and never wake up":        DistressSelfHarm,
		"我不想活了":                                         DistressSelfHarm,
		"活不下去了":                                         DistressSelfHarm,
		"我想死。":                                          DistressSelfHarm,
		"好想死":                                           DistressSelfHarm,
		"活着太累了":                                         DistressSelfHarm,
		"不如一了百了":                                        DistressSelfHarm,
		"我不想再活下去了":                                      DistressSelfHarm,
		"没有我他们会更好":                                      DistressSelfHarm,
		"我攒了好多安眠药":                                      DistressSelfHarm,
		// Acute symptoms.
		"My chest hurts and my left arm is numb":  DistressMedical,
		"I have chest pain":                       DistressMedical,
		"there's a tightness in my chest":         DistressMedical,
		"I can't breathe":                         DistressMedical,
		"I'm short of breath":                     DistressMedical,
		"my face is drooping on one side":         DistressMedical,
		"my speech is slurred":                    DistressMedical,
		"I suddenly feel weak":                    DistressMedical,
		"I think I'm having a heart attack":       DistressMedical,
		"my chest hurts, probably just heartburn": DistressMedical,
		"I can't lift my right arm":               DistressMedical,
		"I just fainted":                          DistressMedical,
		"I feel like I'm going to faint":          DistressMedical,
		"我头好晕，眼前发黑":                               DistressMedical,
		"我快晕倒了":                                   DistressMedical,
		"我胸口疼":                                    DistressMedical,
		"胸闷得厉害":                                   DistressMedical,
		"我喘不上气":                                   DistressMedical,
		"半边身子麻了":                                  DistressMedical,
		"我说话不清楚，嘴歪了":                              DistressMedical,
		// Can't get up, can't move, can't reach the phone.
		"I can't get up":                     DistressCantGetUp,
		"I fell and I can't get up":          DistressCantGetUp,
		"help, I cannot stand up":            DistressCantGetUp,
		"I can't move":                       DistressCantGetUp,
		"I can't move my legs at all":        DistressCantGetUp,
		"I can't reach the phone":            DistressCantGetUp,
		"my phone is out of reach":           DistressCantGetUp,
		"I'm on the floor":                   DistressCantGetUp,
		"I've been on the floor since lunch": DistressCantGetUp,
		"I'm stuck in the bath":              DistressCantGetUp,
		"我起不来了":                              DistressCantGetUp,
		"我早上起床的时候摔了，现在起不来":                   DistressCantGetUp,
		// A clock time is no schedule on its own: these are people stuck.
		"从三点就躺在地上，起不来": DistressCantGetUp,
		"我从下午三点就起不来了":  DistressCantGetUp,
		"我三点就起不来了，快来人": DistressCantGetUp,
		// Told as owners told them in fresh messages (docs/eval/care-words).
		"What's the point of going on? Nobody would even notice if I was gone.":                  DistressSelfHarm,
		"I've been saving up my sleeping tablets, little one.":                                   DistressSelfHarm,
		"我刚又拿刀划自己了，流了点血。":                                                                        DistressSelfHarm,
		"遗书我都写好了，放在抽屉里。":                                                                         DistressSelfHarm,
		"Something's wrong, my face feels droopy on one side and my words are coming out funny.": DistressMedical,
		"There's a crushing pressure in the middle of my chest.":                                 DistressMedical,
		"我脸好像歪了，嘴角往下耷拉，说话也不利索了。":                                                                 DistressMedical,
		"哮喘又犯了，喷雾喷了两回还是喘得厉害。":                                                                    DistressMedical,
		"I'm stuck on the toilet, my knees have locked and I can't get myself up.":               DistressCantGetUp,
		"My walker tipped over and I'm on the bathroom floor.":                                   DistressCantGetUp,
		"从沙发上滑到地上了，胳膊没劲，撑不起来。":                                                                   DistressCantGetUp,
		"Tripped on the rug this morning and landed on my wrist.":                                DistressFall,
		"Harold just fell out of bed, he's got a big bump on his forehead.":                      DistressFall,
		"下床的时候没站稳，一头磕在床头柜上了。":                                                                    DistressFall,
		"小猫，我刚才摔了一跤。":                                                                            DistressFall,
		"Dad's choking! He can't cough, he can't talk!":                                          DistressMedical,
		"I sliced my hand open and it's pouring, the tea towel's soaked right through.":          DistressMedical,
		"Had another fall, pet. Legs just gave way in the hallway.":                              DistressFall,
		"Bert fell in the garden this morning.":                                                  DistressFall,
		"腿一软就坐地上了，缓了一会儿扶着桌子起来了。":                                                                 DistressFall,
		"Wheelchair's tipped over in the garden and I can't get myself back into it.":            DistressCantGetUp,
		"轮椅翻了，我趴在院子里爬不回去。":                                                                       DistressCantGetUp,
		"Driving out to the bridge later. Wanted to say a proper goodbye to you first.":          DistressSelfHarm,
		"这辈子就到这儿吧，我明天不想再睁眼了。":                                                                    DistressSelfHarm,
		"I've had chest pain since an hour ago.":                                                 DistressMedical,
		"My husband's burning up, the thermometer says 40, and he doesn't know who I am.":        DistressMedical,
		"老伴烧到四十度了，一直说胡话，连我都不认识了。":                                                                DistressMedical,
		"别拦我，猫猫，煤气我已经打开了，窗户也关严了。":                                                                DistressSelfHarm,
		"Dad just went over in the hallway, his walker slid out from under him.":                 DistressFall,
		"今天上午去晾被子，拖鞋一滑，整个人坐地上了。":                                                                 DistressFall,
		"I got up early and fell, and I can't get up":                                            DistressCantGetUp,
		"my alarm went off but I can't get up, my back hurts":                                    DistressCantGetUp,
		"我摔倒了，站不起来":                                                                              DistressCantGetUp,
		"我动不了":                                                                                   DistressCantGetUp,
		"我够不着电话":                                                                                 DistressCantGetUp,
		"手机太远了，我够不着":                                                                             DistressCantGetUp,
		// Falls.
		"I fell":                              DistressFall,
		"I fell in the kitchen":               DistressFall,
		"Mochi, I just slipped on the stairs": DistressFall,
		"I had a bad fall this morning":       DistressFall,
		"I've fallen":                         DistressFall,
		"I've fallen over in the hall":        DistressFall,
		"I took a tumble in the garden":       DistressFall,
		"I slipped in the bath":               DistressFall,
		"my legs gave way":                    DistressFall,
		"I fell and hurt myself":              DistressFall,
		"我摔倒了":                                DistressFall,
		"奶奶在浴室滑倒了":                            DistressFall,
		"我摔了一跤":                               DistressFall,
		"我刚才滑倒了":                              DistressFall,
		"我在厨房跌倒了":                             DistressFall,
		"我差点摔倒，后来还是摔了一跤":                      DistressFall,
		// Sleep beside a danger still counts; a hospital only asked about
		// does not make a fall seen to.
		"I'm about to pass out on the couch, my chest hurts and I can't breathe": DistressMedical,
		"我在家摔了一跤，要不要去医院？":                                                        DistressFall,
		"I feel awful, I'm about to pass out on the couch":                       DistressMedical,
		"I'm so dizzy, I'm going to pass out on the sofa":                        DistressMedical,
		// A hospital or a doctor beside the owner's own fall, or urgency, keeps it a fall.
		"我妈刚才在厨房摔倒了，我在等救护车去医院":     DistressFall,
		"我老伴住在医院，我自己在家摔倒了":         DistressFall,
		"我爸摔倒了，头在流血，现在怎么去医院":       DistressFall,
		"我在去医院的路上摔倒了，腿在流血":         DistressFall,
		"医生说我骨质疏松。我刚才在浴室滑倒了，腰好疼。":  DistressFall,
		"我刚才摔了一跤 现在要去医院吗":          DistressFall,
		"我陪我妈去看医生，她在路上摔了一跤，现在怎么办？": DistressFall,
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
		"I've fallen out with my sister",
		"I slipped out to the shops",
		"it slipped my mind",
		"this heat is killing me",
		"my feet are killing me",
		"I'm dying to see you",
		"This song is to die for",
		"I had heartburn after the curry",
		"I laughed so hard I couldn't breathe",
		"I was on the floor laughing",
		"I can't move on from that film",
		"I had a fall last year",
		"I cut myself chopping onions",
		"I fell off my bike when I was little",
		"我去年摔了一跤",
		"we can't move house this year",
		"I took all my pills this morning like the doctor said",
		"Did I take all my tablets today?",
		"you gave me a heart attack, sneaking up like that",
		"笑死我了",
		"累死了",
		"饿死了，吃饭吧",
		"想死你了！",
		"想死的心都有了",
		"热死我了",
		"我把药都吃了",
		"我今天忙得喘不过气",
		"笑得我喘不过气来",
		"我爷爷以前中风过",
		"手机摔了一下",
		"我怕摔倒",
		"I can't get up early tomorrow",
		"I couldn't get up on time today",
		"我早上起不来",
		"算了，卖煎饼也得早起，我起不来。",
		"明天约了小周去青城山耍，早上七点就要出门，我怕起不来。",
		"六点半的高铁，我真怕起不来。",
		"The bakery opens at 5am. I'd never get up.",
		"我定了三个闹钟，还是起不来",
		"My mother broke her hip when she fell back in 1998.",
		"I'm watching Casualty and someone's just been wheeled in with chest pains, it's always chest pains on this show!",
		"I'm so full after that Sunday roast I can't move.",
		"我起不来了，太困了，再让我睡五分钟嘛。",
		"晚饭吃撑了，动都动不了，在沙发上瘫会儿。",
		"电视剧里，老爷子突然晕倒了，吓我一跳。",
		"孙女考上大学了，我高兴得都快晕过去了。",
		"你这个小笨猫，又从沙发上摔下来了吧！",
		"我表姐在老家摔了一跤骨折了，我挺惦记她的。",
		"等我老得动不了了可咋办。",
		"其实我也知道他是节俭惯了，就是心里憋得慌。",
		"That meeting was so boring I wanted to shoot myself.",
		"今天开会开得我想死，领导一个人讲了三个钟头。",
		"Ha! Fell off the windowsill chasing that fly, did you?",
		"The vase fell off the shelf again.",
		"我这一个月每天晚饭后都去河边走半小时。",
		"Mum had a fall at the care home last spring. She's right as rain now.",
		"Remember when I fainted at Sheila's wedding back in '78? They still tease me about it.",
		"笑死我了，你刚才从沙发上滚下来那样儿。",
		"You just fell down!",
		"Oops, you slipped off the windowsill again.",
		"我差点摔倒",
		"电脑动不了了",
		"what's my name?",
		"Leaves fall in autumn",
		"that film was so boring I nearly passed out",
		"I'm about to faint from hunger, where's dinner",
		"我快笑晕了",
		// Going to sleep on the couch; someone else's fall seen to at a
		// hospital (docs/eval/fresh-talk-8, talk8-01-en and talk8-40-zh).
		"Okay, I'm about to pass out on this couch, so help me out: what time does Kasia land?",
		"上午在积水潭医院陪一位八十一岁的聋人奶奶看骨科，她摔了一跤，手腕骨裂了。",
		"",
	} {
		if got, ok := DetectDistress(text); ok {
			t.Errorf("DetectDistress(%q) = %q: a false alarm", text, got)
		}
	}
}

func TestDetectRecovered(t *testing.T) {
	for _, text := range []string{
		"I'm fine now, thank you Mochi",
		"I'm ok now",
		"my daughter is here",
		"The ambulance has arrived",
		"my neighbour came",
		"I managed to get up",
		"false alarm, sorry",
		"feeling much better now",
		"没事了",
		"家人来了",
		"我女儿到了",
		"我好多了",
		"我站起来了",
		"虚惊一场",
	} {
		if !DetectRecovered(text) {
			t.Errorf("DetectRecovered(%q) = false", text)
		}
	}
	for _, text := range []string{
		"I'm fine",                        // said to not be a bother
		"I'm not fine now",                // negated
		"I'm up now but I feel dizzy",     // hedged
		"is help here yet?",               // a question
		"help isn't here",                 // negated
		"I need help here",                // a call for help
		"my daughter is on her way",       // not here yet
		"I'm fine now but I can't get up", // still in distress
		"I'm frightened",
		"没事了吗？",
		"我站不起来了",
		"家人还没来",
		"女儿马上就来了",
		"",
	} {
		if DetectRecovered(text) {
			t.Errorf("DetectRecovered(%q) = true", text)
		}
	}
}

func FuzzDetectDistress(f *testing.F) {
	for _, s := range []string{"I fell asleep", "我不想活了", "I can't get up early", "\xff", "my chest hurts", "没事了", "I'm fine now"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		k, ok := DetectDistress(text)
		if ok != (k != "") {
			t.Fatalf("DetectDistress(%q) = %q, %v", text, k, ok)
		}
		known := k == ""
		for _, kind := range DistressKinds() {
			known = known || k == kind
		}
		if !known {
			t.Fatalf("DetectDistress(%q): unknown kind %q", text, k)
		}
		if ok && DetectRecovered(text) {
			t.Fatalf("%q is both distress (%s) and recovered", text, k)
		}
	})
}

// The fresh messages of docs/eval/care-words, labelled by the helpers who
// wrote them: each round's false alarms and misses are the figures its
// README reports. Rounds 1-6 were read to write the patterns (all now
// right); round 7 was written after they were frozen, and measures them.
func TestDistressOnFreshMessages(t *testing.T) {
	want := map[string][2]int{ // false alarms, misses
		"round1.json": {0, 0},
		"round2.json": {0, 0},
		"round3.json": {0, 0},
		"round4.json": {0, 0},
		"round5.json": {0, 0},
		"round6.json": {0, 0},
		"round7.json": {6, 21},
	}
	for name, w := range want {
		b, err := os.ReadFile(filepath.Join("..", "docs", "eval", "care-words", name))
		if err != nil {
			t.Fatal(err)
		}
		var msgs []struct{ Lang, Text, Kind string }
		if err := json.Unmarshal(b, &msgs); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		alarms, misses := 0, 0
		for _, m := range msgs {
			got, ok := DetectDistress(m.Text)
			switch {
			case m.Kind == "none" && ok:
				alarms++
				t.Logf("%s: false alarm %q: %s", name, got, m.Text)
			case m.Kind != "none" && !ok:
				misses++
				t.Logf("%s: missed %s: %s", name, m.Kind, m.Text)
			}
		}
		if alarms != w[0] || misses != w[1] {
			t.Errorf("%s: %d false alarms and %d misses, the README says %d and %d", name, alarms, misses, w[0], w[1])
		}
	}
}
