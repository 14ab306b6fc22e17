package dialog

import (
	"reflect"
	"testing"
)

// A question for two things told in two sentences is answered by both,
// in the order they were told, and a reply must say a thing of each.
func TestAnswerFromTalkTwoParts(t *testing.T) {
	for _, c := range []struct {
		ask     string
		history []Turn
		fact    string
		said    string // a reply that answers both
		half    string // one that answers one
	}{
		{"Test time: who fixed the gate, and what time is the farrier coming?",
			owner("Rained all morning, the yard's a swamp.", "The farrier is coming at half past eight on Monday.", "Old Mr Pritchard fixed the gate for me, wouldn't take a penny."),
			"The farrier is coming at half past eight on Monday. Old Mr Pritchard fixed the gate for me, wouldn't take a penny",
			"Mr Pritchard, and half past eight!", "Half past eight!"},
		{"Remind me, which shelf did I put the jam on and how many jars did I make?",
			owner("I made nineteen jars of damson jam today.", "The kitchen smells like a bonfire of fruit.", "I put the jam on the top shelf in the pantry so the grandkids can't reach it."),
			"I made nineteen jars of damson jam today. I put the jam on the top shelf in the pantry so the grandkids can't reach it",
			"Nineteen jars, top shelf!", "The top shelf, out of reach."},
		// Two sentences of one turn, asked for in the other order: said
		// back in the order told.
		{"Say it back to me: how many stalls, and what date is the fair?",
			owner("My jam won at the WI.", "And then he says he wants it in the shop window for the street fair on March 3rd. Sixty stalls, all food and flowers."),
			"And then he says he wants it in the shop window for the street fair on March 3rd. Sixty stalls, all food and flowers",
			"March 3rd, sixty stalls!", "March 3rd!"},
		{"考考你，阿芳几号搬家？我借给她的是什么？",
			owner("阿芳下个月八号搬家，叫我去帮忙。", "我先借给她一辆小推车，她说用完就还。", "今天累坏了。"),
			"阿芳下个月八号搬家，叫我去帮忙。我先借给她一辆小推车，她说用完就还",
			"八号，还有小推车！", "八号搬家！"},
		// Each answer a sentence and its short finish ("Ninety-one!"):
		// said by the first sentences, which hold what is asked.
		{"Were you listening? What did I get on the test, and when's my train?",
			owner("I got a 91 on the stats test. Ninety-one!", "My train leaves Friday at ten past nine from Platform 4."),
			"I got a 91 on the stats test. My train leaves Friday at ten past nine from Platform 4",
			"A 91 on your stats test, and Friday at ten past nine!", "Friday!"},
		// Each answer a sentence and its short finish: said by the first
		// sentences, which hold what is asked.
		{"Pop quiz. What time Sunday did we move the party to, and where's the cake hidden?",
			owner("I hid the cake inside the old biscuit tin. Very sneaky of me.", "We moved the party to Sunday at 4:30. Fingers crossed for sun."),
			"I hid the cake inside the old biscuit tin. We moved the party to Sunday at 4:30",
			"The old biscuit tin, and you moved it to Sunday at 4:30!", "You moved it to Sunday at 4:30!"},
		// "考你一下" asks back; the second part asks for a place.
		{"考你一下，那个新来的师傅叫啥子，新店开在哪条路？",
			owner("新来的师傅叫阿强，才二十岁，手脚麻利得很。", "老板说下个月要在春熙路开新店，喊我过去带徒弟。"),
			"新来的师傅叫阿强，才二十岁，手脚麻利得很。老板说下个月要在春熙路开新店，喊我过去带徒弟",
			"阿强，春熙路！", "阿强！"},
	} {
		a, ok := AnswerFromTalk(c.ask, c.history)
		if !ok || a.Fact != c.fact {
			t.Errorf("AnswerFromTalk(%q) = %q, %v; want %q", c.ask, a.Fact, ok, c.fact)
			continue
		}
		if !a.SaidBy(c.said) {
			t.Errorf("%q: %q does not answer (wants %v, keys %v)", c.ask, c.said, a.Wants, a.Keys)
		}
		if a.SaidBy(c.half) {
			t.Errorf("%q: %q answers half, but passes (wants %v)", c.ask, c.half, a.Wants)
		}
	}
}

// One sentence that holds both things answers alone; a question for one
// thing, or for one thing and an opinion, is not cut in two.
func TestAnswerFromTalkOnePart(t *testing.T) {
	for _, c := range []struct {
		ask     string
		history []Turn
		fact    string
	}{
		{"Quick: who came round, and what did she bring?",
			owner("Cold one today.", "Auntie Bev came round with a lemon drizzle cake.", "I watched the snooker after."),
			"Auntie Bev came round with a lemon drizzle cake"},
		// Both parts together run past what the cat says in a reply (two
		// sentences, maxPartsRunes), even each said by its first
		// sentence: the one sentence that answers best.
		{"Were you listening? What did I get on the test, and when's my train?",
			owner("I got a 91 on the stats test which was the best mark in the tutorial group. Ninety-one!",
				"My train leaves Friday at ten past nine from Platform 4 past the lifts."),
			"My train leaves Friday at ten past nine from Platform 4 past the lifts"},
		{"What time did I say the vet was, and do you think you'll behave?",
			owner("The vet squeezed us in at ten past four.", "I bought new socks."),
			"The vet squeezed us in at ten past four"},
	} {
		a, ok := AnswerFromTalk(c.ask, c.history)
		if !ok || a.Fact != c.fact {
			t.Errorf("AnswerFromTalk(%q) = %q, %v; want %q", c.ask, a.Fact, ok, c.fact)
		}
	}
}

func TestAskedParts(t *testing.T) {
	for _, c := range []struct {
		text string
		back bool
		want []string
	}{
		{"Hang on. Who spilled the beer, and what time's my shift tomorrow?", true, []string{"Who spilled the beer", "what time's my shift tomorrow"}},
		{"What was the boat's name and what year was the negative?", true, []string{"What was the boat's name", "what year was the negative"}},
		{"What's the bakery called? Do you like bread?", true, []string{"What's the bakery called"}},
		{"What would you name it, and where should we go?", false, nil},
		{"你还跟得上不？天鹅多高来着，把翅膀磕了的是谁？", true, []string{"天鹅多高来着", "把翅膀磕了的是谁"}},
		{"I went to the shop. It was shut.", true, nil},
		// A colon ends the words said to the pet; the clock's does not cut.
		{"Okay Mochi, your turn to be useful: how many photos does Delphine want, and who has my SD card?", false,
			[]string{"how many photos does Delphine want", "who has my SD card"}},
		{"What time did I say, 6:40 or 7:15, and who's picking me up?", true, []string{"What time did I say", "who's picking me up"}},
	} {
		if got := askedParts(c.text, c.back); !reflect.DeepEqual(got, c.want) {
			t.Errorf("askedParts(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
