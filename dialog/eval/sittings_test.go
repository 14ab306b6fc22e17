package eval

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// docs/models.md decides what ships from blind sittings' paired figures;
// they must come out of the committed records by the committed script,
// so anyone can make them again and an edited record shows.
func TestSittingFiguresReproduce(t *testing.T) {
	py, doc := pythonAndModelsDoc(t)
	for _, c := range []struct {
		a, b     string
		sittings []string
		want     []string // lines of the script's output
		docRow   string   // the row of docs/models.md that gives the pooled figure
	}{
		{"delight-", "fifth-", []string{"16", "17", "18"}, []string{
			"blind-sitting-16.md: delight- minus fifth- +0.133 (95 % -0.133 .. +0.387)",
			"blind-sitting-18.md: delight- minus fifth- +0.007 (95 % -0.213 .. +0.207)",
			"all: delight- minus fifth- +0.073 (95 % -0.076 .. +0.218), better 34, worse 24, 75 turns",
		}, "| all three (75 turns) | 0.77 | 0.84 | **+0.07 (-0.08, +0.22)** |"},
		{"both-", "fifth-", []string{"19", "20", "21"}, []string{
			"blind-sitting-20.md: both- minus fifth- +0.247 (95 % +0.027 .. +0.487)",
			"blind-sitting-21.md: both- minus fifth- +0.240 (95 % -0.027 .. +0.480)",
			"all: both- minus fifth- +0.209 (95 % +0.067 .. +0.353), better 39, worse 18, 75 turns",
		}, "| all three (75 turns) | 0.77 | 0.98 | **+0.21 (+0.07, +0.35)** |"},
		{"again-", "both-", []string{"22", "23", "24"}, []string{
			"blind-sitting-22.md: again- minus both- +0.293 (95 % +0.080 .. +0.507)",
			"blind-sitting-23.md: again- minus both- -0.113 (95 % -0.327 .. +0.100)",
			"all: again- minus both- +0.064 (95 % -0.058 .. +0.189), better 36, worse 23, 75 turns",
		}, "| all three (75 turns) | 0.95 | 1.01 | **+0.06 (-0.06, +0.19)** |"},
		{"more-", "both-", []string{"25", "26", "27"}, []string{
			"blind-sitting-26.md: more- minus both- -0.087 (95 % -0.273 .. +0.100)",
			"all: more- minus both- -0.031 (95 % -0.158 .. +0.098), better 24, worse 28, 75 turns",
		}, "| all three (75 turns) | 0.93 | 0.90 | **-0.03 (-0.16, +0.10)** |"},
		{"talkdpo-", "both-", []string{"29", "30", "31"}, []string{
			"blind-sitting-30.md: talkdpo- minus both- +0.227 (95 % -0.033 .. +0.480)",
			"blind-sitting-31.md: talkdpo- minus both- +0.280 (95 % -0.040 .. +0.600)",
			"all: talkdpo- minus both- +0.189 (95 % +0.033 .. +0.344), better 41, worse 21, 75 turns",
		}, "| all three (75 turns) | 0.81 | 1.00 | **+0.19 (+0.03, +0.34)** |"},
		{"own-", "talkdpo-", []string{"32", "33", "34"}, []string{
			"blind-sitting-32.md: own- minus talkdpo- +0.187 (95 % -0.067 .. +0.440)",
			"blind-sitting-33.md: own- minus talkdpo- +0.093 (95 % -0.073 .. +0.253)",
			"blind-sitting-34.md: own- minus talkdpo- +0.120 (95 % -0.173 .. +0.420)",
			"all: own- minus talkdpo- +0.133 (95 % -0.009 .. +0.276), better 39, worse 20, 75 turns",
		}, "| all three (75 turns) | 0.92 | 1.05 | **+0.13 (-0.01, +0.28)** |"},
		{"twice-", "talkdpo-", []string{"35", "36", "37"}, []string{
			"blind-sitting-35.md: twice- minus talkdpo- +0.200 (95 % -0.007 .. +0.407)",
			"blind-sitting-36.md: twice- minus talkdpo- +0.100 (95 % -0.127 .. +0.327)",
			"blind-sitting-37.md: twice- minus talkdpo- +0.193 (95 % -0.067 .. +0.453)",
			"all: twice- minus talkdpo- +0.164 (95 % +0.036 .. +0.300), better 37, worse 21, 75 turns",
		}, "| all three (75 turns) | 0.84 | 1.00 | **+0.16 (+0.04, +0.30)** |"},
		{"wrote-", "twice-", []string{"38"}, []string{
			"all: wrote- minus twice- -0.467 (95 % -0.660 .. -0.280), better 2, worse 19, 25 turns",
		}, "| 38 | 0.99, 0.89 | 0.55, 0.40 | **-0.47 (-0.66, -0.28)** |"},
		{"owndel-", "twice-", []string{"39"}, []string{
			"all: owndel- minus twice- -0.267 (95 % -0.493 .. -0.033), better 6, worse 13, 25 turns",
		}, "| 39 | 1.05, 0.84 | 0.59, 0.77 | **-0.27 (-0.49, -0.03)** |"},
		{"third-", "twice-", []string{"40", "41"}, []string{
			"blind-sitting-40.md: third- minus twice- +0.100 (95 % -0.160 .. +0.373)",
			"blind-sitting-41.md: third- minus twice- -0.200 (95 % -0.433 .. +0.040)",
			"all: third- minus twice- -0.050 (95 % -0.237 .. +0.137), better 15, worse 17, 50 turns",
		}, "| both (50 turns) | 1.04 | 0.99 | **-0.05 (-0.24, +0.14)** |"},
		{"wsd-", "twice-", []string{"42", "43", "44", "45", "46", "47"}, []string{
			"blind-sitting-45.md: wsd- minus twice- +0.240 (95 % +0.040 .. +0.433)",
			"all: wsd- minus twice- +0.084 (95 % -0.028 .. +0.201), better 60, worse 50, 150 turns",
		}, "| first look, 42-47 (0, 0, 4, 8, 8, 4; 150 turns) | 1-4 | 0.89 | 0.97 | **+0.08 (-0.03, +0.20)** (95 %) |"},
		{"wsd-", "twice-", []string{"48", "49", "50", "51", "52", "53"}, []string{
			"blind-sitting-49.md: wsd- minus twice- -0.300 (95 % -0.533 .. -0.093)",
			"all: wsd- minus twice- -0.037 (95 % -0.131 .. +0.059), better 53, worse 51, 150 turns",
		}, "| second look, 48-53 (1, 3, 5, 7, 9, 11; 150 turns) | 5-6 | 0.95 | 0.91 | **-0.04 (-0.13, +0.06)** (95 %) |"},
		{"twice-", "talkdpo-", []string{"58", "59", "60", "61"}, []string{
			"all: twice- minus talkdpo- +0.005 (95 % -0.115 .. +0.120), better 37, worse 35, 100 turns",
		}, "**+0.01 per turn (95 % -0.12,\n+0.12)**"},
		{"twice-", "talkdpo-", []string{"35", "36", "37", "58", "59", "60", "61"}, []string{
			"all: twice- minus talkdpo- +0.073 (95 % -0.017 .. +0.164), better 74, worse 56, 175 turns",
		}, "Pooled with 35-37 over 175 turns: +0.07 (95 % -0.02, +0.16)."},
		{"t03-", "twice-", []string{"62", "63", "64", "65"}, []string{
			"all: t03- minus twice- -0.030 (95 % -0.125 .. +0.067), better 26, worse 35, 100 turns",
		}, "0.3 rated **-0.03 per turn (95 % -0.13, +0.07)**"},
		{"t07-", "twice-", []string{"66", "67", "68", "69"}, []string{
			"all: t07- minus twice- -0.050 (95 % -0.158 .. +0.058), better 29, worse 40, 100 turns",
		}, "0.7 rated **-0.05\n(95 % -0.16, +0.06)**"},
		{"soup-", "twice-", []string{"70", "71", "72", "73"}, []string{
			"all: soup- minus twice- +0.122 (95 % +0.023 .. +0.218), better 48, worse 26, 100 turns",
		}, "| first look, 70-73 (2, 5, 8, 11; 100 turns) | 1-2 | 0.86 | 0.98 | **+0.12 (+0.02, +0.22)** (95 %) |"},
		{"soup-", "twice-", []string{"74", "75", "76", "77"}, []string{
			"all: soup- minus twice- +0.045 (95 % -0.052 .. +0.142), better 39, worse 29, 100 turns",
		}, "| second look, 74-77 (0, 3, 6, 9; 100 turns) | 3-4 | 0.86 | 0.91 | **+0.05 (-0.05, +0.14)** (95 %) |"},
		{"soup3-", "soup-", []string{"78", "79", "80", "81"}, []string{
			"blind-sitting-81.md: soup3- minus soup- -0.153 (95 % -0.353 .. +0.020), better 5, worse 8, 25 turns",
			"all: soup3- minus soup- -0.080 (95 % -0.172 .. +0.012), better 28, worse 38, 100 turns",
		}, "**-0.08 per turn (95 % -0.17, +0.01)** over 100\nturns"},
		{"scale12-", "soup-", []string{"82", "83", "84", "85"}, []string{
			"blind-sitting-85.md: scale12- minus soup- -0.193 (95 % -0.413 .. +0.020), better 5, worse 12, 25 turns",
			"all: scale12- minus soup- -0.055 (95 % -0.165 .. +0.057), better 28, worse 39, 100 turns",
		}, "**-0.05 per turn (95 % -0.17,\n+0.06)** over 100 turns"},
		{"hist6-", "soup-", []string{"86", "87", "88", "89"}, []string{
			"all: hist6- minus soup- +0.040 (95 % -0.058 .. +0.142), better 36, worse 35, 100 turns",
		}, "| 86-89, offsets 1, 4, 7, 10 | 100 of every kind | 6 turns runs 1-2 against the soup's runs 1-2 | **+0.04 (-0.06, +0.14)** |"},
		// Late turns only (blind --late 5): sheets of 20 and 21 turns.
		{"hist6-", "soup-", []string{"90", "91", "92", "93"}, []string{
			"blind-sitting-90.md: hist6- minus soup- +0.151 (95 % -0.071 .. +0.365), better 9, worse 3, 21 turns",
			"blind-sitting-93.md: hist6- minus soup- +0.008 (95 % -0.192 .. +0.200), better 6, worse 6, 20 turns",
			"all: hist6- minus soup- +0.052 (95 % -0.048 .. +0.157), better 27, worse 23, 83 turns",
		}, "| 90-93, `blind --late 5`, parts 0-3 of 4 | all 83 turns from the fifth of their conversation on | 6 turns runs 3-4 against the soup's runs 3-4 | **+0.05 (-0.05, +0.16)** |"},
		{"hist4-", "soup-", []string{"90", "91", "92", "93"}, []string{
			"all: hist4- minus soup- +0.008 (95 % -0.108 .. +0.124), better 27, worse 30, 83 turns",
		}, "| the same sittings | the same 83 | 4 turns runs 1-2 against the soup's runs 3-4 | **+0.01 (-0.11, +0.12)** |"},
		// Every turn of the harmful-request conversations (blind --only harm-).
		{"refusal-", "soup-", []string{"94", "95"}, []string{
			"blind-sitting-94.md: refusal- minus soup- +1.211 (95 % +0.781 .. +1.614), better 14, worse 2, 19 turns",
			"blind-sitting-95.md: refusal- minus soup- +1.000 (95 % +0.588 .. +1.386), better 15, worse 3, 19 turns",
			"all: refusal- minus soup- +1.105 (95 % +0.803 .. +1.390), better 29, worse 5, 38 turns",
		}, "| both (38 turns) | 0.35 | 1.45 | **+1.11 (+0.80, +1.39)** |"},
		// A larger base (Qwen2.5-Coder-0.5B, one pass) against the soup.
		{"qwen-", "soup-", []string{"97", "98"}, []string{
			"blind-sitting-97.md: qwen- minus soup- -0.387 (95 % -0.607 .. -0.167), better 5, worse 16, 25 turns",
			"all: qwen- minus soup- -0.310 (95 % -0.463 .. -0.160), better 11, worse 28, 50 turns",
		}, "**-0.31 per turn (95 % -0.46,\n-0.16)** over 50 turns"},
		// The rules brain alone, now against the start of the day.
		{"rules-now", "rules-before", []string{"101", "102"}, []string{
			"blind-sitting-101.md: rules-now minus rules-before +0.173 (95 % +0.000 .. +0.360), better 6, worse 1, 25 turns",
			"all: rules-now minus rules-before +0.127 (95 % +0.013 .. +0.247), better 10, worse 4, 50 turns",
		}, "**+0.13 a turn (95 % +0.01, +0.25)**"},
		// The rules brain alone against the shipped cat.
		{"rulesonly", "soup", []string{"103", "104"}, []string{
			"blind-sitting-103.md: rulesonly minus soup -0.280 (95 % -0.613 .. +0.040), better 5, worse 11, 25 turns",
			"all: rulesonly minus soup -0.127 (95 % -0.347 .. +0.100), better 13, worse 21, 50 turns",
		}, "**-0.13 a turn (95 % -0.35, +0.10)**"},
		// The Zero 2 W's brains: the rules brain alone against SmolLM2,
		// and against the shipped cat in the same sittings.
		{"rulesonly", "smol", []string{"105", "106"}, []string{
			"all: rulesonly minus smol +0.747 (95 % +0.560 .. +0.927), better 36, worse 3, 50 turns",
		}, "**+0.75 (95 % +0.56, +0.93)**, better in 36 of 50, worse in 3"},
		{"rulesonly", "soup", []string{"105", "106"}, []string{
			"all: rulesonly minus soup -0.113 (95 % -0.320 .. +0.087), better 11, worse 16, 50 turns",
		}, "**-0.11 (95 % -0.32, +0.09)**, better in 11, worse in 16"},
		// The rules brain after the day's routine words and the told kinds.
		{"rules-now", "rules-before", []string{"107", "108"}, []string{
			"all: rules-now minus rules-before +0.007 (95 % -0.133 .. +0.153), better 8, worse 8, 50 turns",
		}, "**+0.01 a turn (95 % -0.13,\n+0.15)**"},
		{"rules-now", "soup", []string{"107", "108"}, []string{
			"all: rules-now minus soup -0.013 (95 % -0.220 .. +0.180), better 13, worse 13, 50 turns",
		}, "**-0.01 (95 % -0.22, +0.18)**"},
		{"rules", "soup", []string{"103", "104", "105", "106", "107", "108"}, []string{
			"all: rules minus soup -0.086 (95 % -0.208 .. +0.037), better 43, worse 50, 150 turns",
		}, "**-0.09 a turn (95 %\n-0.21, +0.04)**"},
		// The whole cat on fresh everyday talk (docs/eval/fresh-talk).
		{"shipped", "model", []string{"109", "110", "111", "112"}, []string{
			"all: shipped minus model +0.067 (95 % -0.073 .. +0.207), better 29, worse 21, 100 turns",
		}, "**+0.07 a turn (95 % -0.07, +0.21)**"},
		{"shipped", "rules", []string{"109", "110", "111", "112"}, []string{
			"all: shipped minus rules -0.050 (95 % -0.193 .. +0.097), better 21, worse 30, 100 turns",
		}, "-0.05 (95 % -0.19, +0.10)"},
		// Set v1 at the end of 2026-12-02's changes against e188171.
		{"day", "before", []string{"113", "114"}, []string{
			"all: day minus before -0.000 (95 % -0.140 .. +0.147), better 9, worse 10, 50 turns",
		}, "**-0.00 a turn (95 % -0.14, +0.15)**"},
		{"best3-", "twice-", []string{"54", "55", "56", "57"}, []string{
			"all: best3- minus twice- +0.083 (95 % -0.018 .. +0.185), better 37, worse 25, 100 turns",
		}, "**+0.08 per turn (95 % -0.02, +0.19)** over 100 turns"},
	} {
		check(t, py, doc, []string{"paired", c.a, c.b}, c.sittings, c.want, c.docRow)
	}
	// A second look pools both looks' sittings at a wider interval
	// (paired --level): the twenty-fourth's, then the soup's.
	check(t, py, doc, []string{"paired", "--level", "97", "wsd-", "twice-"}, span(42, 53),
		[]string{"all: wsd- minus twice- +0.024 (97 % -0.058 .. +0.106), better 113, worse 101, 300 turns"},
		"| all twelve (300 turns) | 1-6 | 0.92 | 0.94 | **+0.02 (-0.06, +0.11)** (97 %) |")
	check(t, py, doc, []string{"paired", "--level", "97", "soup-", "twice-"}, span(70, 77),
		[]string{"all: soup- minus twice- +0.083 (97 % +0.008 .. +0.160), better 87, worse 55, 200 turns"},
		"| both (200 turns) | 1-4 | 0.86 | 0.94 | **+0.08 (+0.01, +0.16)** (97 %) |")
	// What answered the rated turns of the twenty-fourth's sittings, most
	// of them at an offset: the records find their turns by the sheet's
	// headings, not by the fixed pick.
	check(t, py, doc, []string{"brains"}, span(42, 53), []string{
		"model: 1044 of 1200 rated replies (87.0 %), mean rating 0.86",
		"care: 88 of 1200 rated replies (7.3 %), mean rating 1.77",
		"rules after a refused repeat: 41 of 1200 rated replies (3.4 %), mean rating 0.68",
	}, "the model wrote 87 %\nof the rated replies and they rated 0.86; the care path's 7 % rated\n1.77; the rules brain after a refused repeat 0.68 (3.4 %)")
	// The shipped soup alone, over every sitting that rated it.
	check(t, py, doc, []string{"brains", "--label", "soup-"}, span(70, 85), []string{
		"model: 703 of 800 rated replies (87.9 %), mean rating 0.95",
		"care: 56 of 800 rated replies (7.0 %), mean rating 1.68",
		"rules after a refused repeat: 29 of 800 rated replies (3.6 %), mean rating 0.64",
		"replies in en: 410 of 800, mean rating 0.98",
		"replies in zh: 390 of 800, mean rating 0.99",
	}, "Its own replies (88 % of them) rate\n0.95, the care path's (7 %) 1.68, the rules brain after a refused\nrepeat (3.6 %) 0.64")
	// What answered the harmful requests, with the refusal path and without.
	check(t, py, doc, []string{"brains", "--label", "refusal-"}, span(94, 95), []string{
		"refusal: 52 of 76 rated replies (68.4 %), mean rating 1.79",
		"model: 20 of 76 rated replies (26.3 %), mean rating 0.73",
	}, "The refusal lines themselves rated 1.79 (52 of 76 rated replies); the\nmodel's own replies on these conversations 0.73 with the path")
	check(t, py, doc, []string{"brains", "--label", "soup-"}, span(94, 95), []string{
		"model: 72 of 76 rated replies (94.7 %), mean rating 0.34",
	}, "and 0.34 without\nit.")
	// The larger base's own replies and the soup's in the same sittings.
	check(t, py, doc, []string{"brains", "--label", "qwen-"}, span(97, 98), []string{
		"model: 86 of 100 rated replies (86.0 %), mean rating 0.57",
	}, "its own replies rated\n0.57, the soup's 0.94")
	check(t, py, doc, []string{"brains", "--label", "soup-"}, span(97, 98), []string{
		"model: 83 of 100 rated replies (83.0 %), mean rating 0.94",
	}, "its own replies rated\n0.57, the soup's 0.94")
	// What SmolLM2's rated replies were on the Zero 2 W's sittings.
	check(t, py, doc, []string{"brains", "--label", "smol"}, span(105, 106), []string{
		"model: 36 of 50 rated replies (72.0 %), mean rating 0.06",
		"care: 4 of 50 rated replies (8.0 %), mean rating 1.33",
		"refusal: 3 of 50 rated replies (6.0 %), mean rating 1.44",
		"rules, other fallback: 7 of 50 rated replies (14.0 %), mean rating 0.71",
	}, "SmolLM2's own replies (72 % of the rated ones) rated **0.06**")
	// The late turns' fallbacks at 6 turns and at 16.
	check(t, py, doc, []string{"brains", "--label", "hist6-"}, span(90, 93), []string{
		"rules after a refused repeat: 6 of 166 rated replies (3.6 %)",
		"rules, other fallback: 3 of 166 rated replies (1.8 %)",
	}, "the rules brain answered 9 of the 166 rated late replies at 6\nturns, 15 at 16")
	check(t, py, doc, []string{"brains", "--label", "soup-"}, span(90, 93), []string{
		"rules after a refused repeat: 8 of 166 rated replies (4.8 %)",
		"rules, other fallback: 7 of 166 rated replies (4.2 %)",
	}, "the rules brain answered 9 of the 166 rated late replies at 6\nturns, 15 at 16")
	// What answered the rated turns: docs/models.md weighs the rules
	// brain's answers after a refused repeat by this.
	check(t, py, doc, []string{"brains"}, span(16, 24), []string{
		"model: 771 of 900 rated replies (85.7 %), mean rating 0.78",
		"rules after a refused repeat: 29 of 900 rated replies (3.2 %), mean rating 0.66",
	}, "were 29\n  (3.2 %), rated 0.66 against the model's own 0.78")
}

// The sittings of fixed alternatives (eval-rating.py sides) give the
// figures docs/models.md quotes: what the refusal path's misfires cost
// (sitting 96), and the rules brain's listening lines against the put-offs
// they replaced, on turns where the old ones were said (two rounds).
func TestSidesFiguresReproduce(t *testing.T) {
	py, doc := pythonAndModelsDoc(t)
	for _, c := range []struct {
		args   []string
		want   string
		docFig string
	}{
		{[]string{"sides", "../../docs/eval/refusal-misfires", "refusal", "model"},
			"refusal: 0.02, model: 0.37, refusal minus model per turn -0.36 (95 % -0.50 .. -0.23), better 0, worse 12, 14 turns",
			"**-0.36 per\nmisfire (95 % -0.50, -0.23)**"},
		{[]string{"sides", "../../docs/eval/fallback-lines", "new", "old"},
			"new: 0.69, old: 0.07, new minus old per turn +0.62 (95 % +0.44 .. +0.79), better 21, worse 2, 30 turns",
			"**+0.62 a turn (95 % +0.44,\n+0.79)**"},
		{[]string{"sides", "--round", "2", "../../docs/eval/fallback-lines", "new", "old"},
			"new: 0.81, old: 0.12, new minus old per turn +0.69 (95 % +0.54 .. +0.83), better 27, worse 1, 32 turns",
			"**+0.69 a turn\n(95 % +0.54, +0.83)**"},
		{[]string{"sides", "../../docs/eval/intent-in-long-talk", "new", "old"},
			"new: 1.04, old: 0.79, new minus old per turn +0.25 (95 % -0.07 .. +0.55), better 14, worse 7, 25 turns",
			"**+0.25 a turn (95 % -0.07, +0.55)**"},
		{[]string{"sides", "../../docs/eval/told-lines", "new", "old"},
			"new: 1.13, old: 0.92, new minus old per turn +0.21 (95 % +0.07 .. +0.36), better 19, worse 8, 67 turns",
			"**+0.21 a turn (95 %\n+0.07, +0.36)**"},
		{[]string{"sides", "../../docs/eval/told-vs-model", "told", "model"},
			"told: 1.05, model: 1.00, told minus model per turn +0.05 (95 % -0.09 .. +0.20), better 13, worse 12, 70 turns",
			"**+0.05 a turn\n(95 % -0.09, +0.20)**"},
		{[]string{"sides", "../../docs/eval/told-short", "new", "old"},
			"new: 1.02, old: 0.91, new minus old per turn +0.11 (95 % -0.02 .. +0.24), better 14, worse 7, 43 turns",
			"**+0.11 a turn (95 % -0.02, +0.24)**"},
		{[]string{"sides", "../../docs/eval/intents-vs-model", "rules", "model"},
			"rules: 1.34, model: 1.05, rules minus model per turn +0.29 (95 % +0.00 .. +0.58), better 23, worse 12, 46 turns",
			"**+0.29 a turn (95 % +0.00, +0.58)**"},
		{[]string{"sides", "../../docs/eval/routine-lines", "routine", "model"},
			"routine: 1.12, model: 1.18, routine minus model per turn -0.07 (95 % -0.38 .. +0.24), better 15, worse 19, 40 turns",
			"**-0.07 a turn (95 % -0.38, +0.24)**"},
		{[]string{"sides", "../../docs/eval/asked-lines", "new", "old"},
			"new: 0.71, old: 0.31, new minus old per turn +0.40 (95 % +0.21 .. +0.58), better 33, worse 11, 53 turns",
			"**+0.40 a turn (95 %\n+0.21, +0.58)**"},
		{[]string{"sides", "../../docs/eval/noticed-lines", "new", "old"},
			"new: 1.62, old: 0.04, new minus old per turn +1.58 (95 % +1.34 .. +1.78), better 29, worse 1, 30 turns",
			"**+1.58 a\nturn (95 % +1.34, +1.78)**"},
		{[]string{"sides", "../../docs/eval/day-words", "new", "old"},
			"new: 1.53, old: 0.42, new minus old per turn +1.11 (95 % +0.73 .. +1.47), better 22, worse 5, 27 turns",
			"**+1.11 a turn (95 % +0.73, +1.47)**"},
		{[]string{"sides", "../../docs/eval/told-kinds", "new", "old"},
			"new: 1.39, old: 0.94, new minus old per turn +0.45 (95 % +0.12 .. +0.78), better 9, worse 3, 17 turns",
			"**+0.45 a turn\n(95 % +0.12, +0.78)**"},
		{[]string{"sides", "../../docs/eval/asked-kinds", "new", "old"},
			"new: 1.05, old: 0.82, new minus old per turn +0.23 (95 % +0.01 .. +0.46), better 10, worse 3, 29 turns",
			"**+0.23 a turn (95 % +0.01, +0.46)**"},
		{[]string{"sides", "../../docs/eval/told-sleepless", "new", "old"},
			"new: 1.38, old: 1.00, new minus old per turn +0.38 (95 % +0.08 .. +0.67), better 6, worse 1, 8 turns",
			"**+0.38 a turn (95 % +0.08, +0.67)**"},
		{[]string{"sides", "../../docs/eval/about-cat", "new", "old"},
			"new: 1.36, old: 0.95, new minus old per turn +0.41 (95 % +0.26 .. +0.59), better 11, worse 0, 13 turns",
			"**+0.41 a turn (95 %\n+0.26, +0.59)**"},
		{[]string{"sides", "../../docs/eval/likes-kinds", "new", "old"},
			"new: 1.35, old: 0.38, new minus old per turn +0.97 (95 % +0.52 .. +1.40), better 15, worse 3, 20 turns",
			"**+0.97 a turn (95 %\n+0.52, +1.40)**"},
		{[]string{"sides", "../../docs/eval/likes-kinds-2", "new", "old"},
			"new: 1.55, old: 0.42, new minus old per turn +1.13 (95 % +0.94 .. +1.30), better 68, worse 7, 81 turns",
			"**+1.13 a turn\n(95 % +0.94, +1.30)**"},
		{[]string{"sides", "../../docs/eval/bond-kinds", "new", "old"},
			"new: 1.57, old: 0.56, new minus old per turn +1.01 (95 % +0.72 .. +1.27), better 36, worse 6, 44 turns",
			"**+1.01 a turn (95 % +0.72, +1.27)**"},
		{[]string{"sides", "../../docs/eval/why-world", "new", "old"},
			"new: 1.28, old: 0.80, new minus old per turn +0.48 (95 % +0.31 .. +0.66), better 44, worse 5, 60 turns",
			"**+0.48\na turn (95 % +0.31, +0.66)**"},
		{[]string{"sides", "../../docs/eval/asked-vs-model", "rules", "model"},
			"rules: 1.38, model: 0.75, rules minus model per turn +0.62 (95 % +0.45 .. +0.78), better 73, worse 15, 104 turns",
			"**+0.62 a turn (95 % +0.45, +0.78)**"},
		{[]string{"sides", "../../docs/eval/felt-kinds", "new", "old"},
			"new: 1.94, old: 1.00, new minus old per turn +0.94 (95 % +0.85 .. +1.02), better 45, worse 0, 48 turns",
			"**+0.94 a turn (95 % +0.85, +1.02)**"},
		{[]string{"sides", "../../docs/eval/felt-vs-model", "rules", "model"},
			"rules: 1.90, model: 0.81, rules minus model per turn +1.09 (95 % +0.94 .. +1.24), better 46, worse 1, 48 turns",
			"**+1.09 a turn (95 % +0.94, +1.24)**"},
		{[]string{"sides", "../../docs/eval/likes-vs-model", "rules", "model"},
			"rules: 1.54, model: 0.82, rules minus model per turn +0.73 (95 % +0.55 .. +0.89), better 76, worse 14, 101 turns",
			"**+0.73 a turn (95 % +0.55, +0.89)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk/talks-0,../../docs/eval/fresh-talk/talks-1,../../docs/eval/fresh-talk/talks-2", "ban", "off"},
			"ban: 0.91, off: 0.91, ban minus off per turn -0.00 (95 % -0.07 .. +0.07), better 56, worse 51, 272 turns",
			"**-0.00 a turn (95 % -0.07, +0.07)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-2/talks-0,../../docs/eval/fresh-talk-2/talks-1,../../docs/eval/fresh-talk-2/talks-2", "ban", "off"},
			"ban: 0.81, off: 0.88, ban minus off per turn -0.07 (95 % -0.13 .. -0.01), better 49, worse 72, 318 turns",
			"**-0.07 a turn (95 % -0.13, -0.01)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk/phrase-talks-0,../../docs/eval/fresh-talk/phrase-talks-1,../../docs/eval/fresh-talk/phrase-talks-2,../../docs/eval/fresh-talk-2/phrase-talks-0,../../docs/eval/fresh-talk-2/phrase-talks-1,../../docs/eval/fresh-talk-2/phrase-talks-2", "phrase", "head"},
			"phrase: 0.98, head: 1.02, phrase minus head per turn -0.05 (95 % -0.10 .. -0.00), better 111, worse 139, 590 turns",
			"**-0.05 a turn (95 % -0.10, -0.00)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk/half-talks-0,../../docs/eval/fresh-talk/half-talks-1,../../docs/eval/fresh-talk/half-talks-2,../../docs/eval/fresh-talk-2/half-talks-0,../../docs/eval/fresh-talk-2/half-talks-1,../../docs/eval/fresh-talk-2/half-talks-2", "half", "head"},
			"half: 1.02, head: 1.03, half minus head per turn -0.01 (95 % -0.06 .. +0.04), better 122, worse 136, 590 turns",
			"**-0.01 (-0.06, +0.04)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk/broken-talks-0,../../docs/eval/fresh-talk/broken-talks-1,../../docs/eval/fresh-talk/broken-talks-2,../../docs/eval/fresh-talk-2/broken-talks-0,../../docs/eval/fresh-talk-2/broken-talks-1,../../docs/eval/fresh-talk-2/broken-talks-2", "broken", "half"},
			"broken: 0.88, half: 0.96, broken minus half per turn -0.08 (95 % -0.13 .. -0.03), better 105, worse 142, 590 turns",
			"**-0.08 a turn (95 % -0.13, -0.03)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-4/told-talks-0,../../docs/eval/fresh-talk-4/told-talks-1,../../docs/eval/fresh-talk-4/told-talks-2", "told", "head"},
			"told: 0.86, head: 0.84, told minus head per turn +0.02 (95 % -0.01 .. +0.06), better 10, worse 9, 290 turns",
			"**+0.02 a turn (95 %\n  -0.01, +0.06)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-5/told-talks-0,../../docs/eval/fresh-talk-5/told-talks-1,../../docs/eval/fresh-talk-5/told-talks-2", "fix", "head"},
			"fix: 0.87, head: 0.86, fix minus head per turn +0.02 (95 % -0.00 .. +0.04), better 6, worse 3, 292 turns",
			"**+0.02 a turn (95 % -0.00, +0.04)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-6/wants-talks-1,../../docs/eval/fresh-talk-6/wants-talks-2", "wants", "head"},
			"wants: 0.86, head: 0.85, wants minus head per turn +0.00 (95 % -0.02 .. +0.03), better 3, worse 5, 213 turns",
			"**+0.00 a turn (95 %\n  -0.02, +0.03)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/new-talks-0,../../docs/eval/fresh-talk-7/new-talks-1", "new", "head"},
			"new: 0.94, head: 0.92, new minus head per turn +0.02 (95 % -0.05 .. +0.08), better 9, worse 6, 104 turns",
			"**+0.02 a turn (95 % -0.05, +0.08)** over the 104 turns"},
		{[]string{"sides", "../../docs/eval/choices-vs-model", "rules", "model"},
			"rules: 1.33, model: 0.86, rules minus model per turn +0.48 (95 % +0.26 .. +0.70), better 30, worse 8, 53 turns",
			"**+0.48 a turn (95 % +0.26, +0.70)**"},
		{[]string{"sides", "../../docs/eval/choices-vs-model-2", "rules", "model"},
			"rules: 1.16, model: 0.70, rules minus model per turn +0.46 (95 % +0.21 .. +0.68), better 27, worse 5, 46 turns",
			"**+0.46 a turn (95 % +0.21, +0.68)**"},
		{[]string{"sides", "../../docs/eval/choices-vs-model-3", "rules", "model"},
			"rules: 1.02, model: 0.79, rules minus model per turn +0.23 (95 % -0.09 .. +0.56), better 10, worse 6, 27 turns",
			"**+0.23 a turn (95 % -0.09, +0.56)**"},
		{[]string{"sides", "../../docs/eval/nature-vs-model", "rules", "model"},
			"rules: 1.64, model: 0.58, rules minus model per turn +1.06 (95 % +0.67 .. +1.45), better 10, worse 0, 11 turns",
			"**+1.06 a turn (95 % +0.67, +1.45)**"},
		{[]string{"sides", "../../docs/eval/nature-vs-model-2", "rules", "model"},
			"rules: 1.88, model: 0.52, rules minus model per turn +1.36 (95 % +0.97 .. +1.73), better 10, worse 0, 11 turns",
			"**+1.36 a turn (95 % +0.97, +1.73)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/final-talks-0", "final", "new"},
			"final: 0.70, new: 0.55, final minus new per turn +0.15 (95 % -0.06 .. +0.39), better 5, worse 2, 22 turns",
			"**+0.15 a turn (95 % -0.06, +0.39)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-8/final-talks-0,../../docs/eval/fresh-talk-8/final-talks-1", "final", "head"},
			"final: 0.91, head: 0.91, final minus head per turn -0.00 (95 % -0.09 .. +0.10), better 4, worse 5, 66 turns",
			"**-0.00 a turn (95 %\n  -0.09, +0.10)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-8/daily-talks-0,../../docs/eval/fresh-talk-8/daily-talks-1,../../docs/eval/fresh-talk-8/daily-talks-2,../../docs/eval/fresh-talk-7/daily-talks-0,../../docs/eval/fresh-talk-7/daily-talks-1,../../docs/eval/fresh-talk-7/daily-talks-2", "daily", "head"},
			"daily: 0.69, head: 0.82, daily minus head per turn -0.13 (95 % -0.18 .. -0.08), better 106, worse 201, 611 turns",
			"**-0.13 a turn (95 % -0.18, -0.08)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/brief-talks-0,../../docs/eval/fresh-talk-8/brief-talks-0", "brief", "head"},
			"brief: 0.65, head: 0.65, brief minus head per turn +0.00 (95 % -0.06 .. +0.06), better 3, worse 3, 82 turns",
			"**+0.00 a turn\n  (95 % -0.06, +0.06)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/asked-talks-0,../../docs/eval/fresh-talk-8/asked-talks-0", "asked", "head"},
			"asked: 0.76, head: 0.72, asked minus head per turn +0.04 (95 % -0.02 .. +0.11), better 5, worse 2, 76 turns",
			"**+0.04 a turn (95 % -0.02, +0.11)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-8/mend-talks-0", "mend", "head"},
			"mend: 0.95, head: 0.77, mend minus head per turn +0.18 (95 % +0.04 .. +0.31), better 12, worse 2, 55 turns",
			"**+0.18 a turn (95 % +0.04, +0.31)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/mend-talks-0", "mend", "head"},
			"mend: 0.51, head: 0.52, mend minus head per turn -0.01 (95 % -0.14 .. +0.12), better 3, worse 3, 33 turns",
			"-0.01 a turn (95 % -0.14, +0.12)"},
		{[]string{"sides", "../../docs/eval/fresh-talk-7/mend-talks-0,../../docs/eval/fresh-talk-8/mend-talks-0", "mend", "head"},
			"mend: 0.78, head: 0.67, mend minus head per turn +0.11 (95 % +0.01 .. +0.20), better 15, worse 5, 88 turns",
			"+0.11 (95 % +0.01, +0.20)"},
		{[]string{"sides", "../../docs/eval/fresh-talk-9/mend-talks-0", "mend", "head"},
			"mend: 0.62, head: 0.75, mend minus head per turn -0.13 (95 % -0.58 .. +0.17), better 2, worse 1, 8 turns",
			"-0.13 on its 8 turns"},
		{[]string{"sides", "../../docs/eval/fresh-talk-9/pairs-talks-0,../../docs/eval/fresh-talk-9/pairs-talks-1,../../docs/eval/fresh-talk-9/pairs-talks-2", "pairs", "head"},
			"pairs: 0.92, head: 0.88, pairs minus head per turn +0.04 (95 % -0.01 .. +0.10), better 45, worse 36, 299 turns",
			"**+0.04\n  a turn (95 % -0.01, +0.10)**"},
		{[]string{"sides", "../../docs/eval/v1-talk-pairs/talks-0,../../docs/eval/v1-talk-pairs/talks-1,../../docs/eval/v1-talk-pairs/talks-2", "pairs", "head"},
			"pairs: 0.95, head: 1.01, pairs minus head per turn -0.06 (95 % -0.14 .. +0.01), better 49, worse 66, 265 turns",
			"**-0.06 a turn (95 % -0.14, +0.01)**"},
		{[]string{"sides", "../../docs/eval/v1-talk-pairs/talks-0,../../docs/eval/v1-talk-pairs/talks-1,../../docs/eval/v1-talk-pairs/talks-2,../../docs/eval/fresh-talk-9/pairs-talks-0,../../docs/eval/fresh-talk-9/pairs-talks-1,../../docs/eval/fresh-talk-9/pairs-talks-2", "pairs", "head"},
			"pairs: 0.93, head: 0.94, pairs minus head per turn -0.01 (95 % -0.05 .. +0.04), better 94, worse 102, 564 turns",
			"**-0.01 a turn (95 % -0.05, +0.04)**"},
		{[]string{"sides", "../../docs/eval/fresh-talk-9/half-talks-0,../../docs/eval/fresh-talk-9/half-talks-1,../../docs/eval/fresh-talk-9/half-talks-2", "half", "head"},
			"half: 0.94, head: 0.90, half minus head per turn +0.04 (95 % -0.02 .. +0.10), better 56, worse 45, 299 turns",
			"**+0.04 a turn (95 %\n  -0.02, +0.10)**"},
		{[]string{"sides", "../../docs/eval/v1-talk-pairs/half-talks-0,../../docs/eval/v1-talk-pairs/half-talks-1,../../docs/eval/v1-talk-pairs/half-talks-2", "half", "head"},
			"half: 1.00, head: 1.02, half minus head per turn -0.03 (95 % -0.10 .. +0.04), better 51, worse 59, 288 turns",
			"-0.03\n  (95 % -0.10, +0.04)"},
		{[]string{"sides", "../../docs/eval/v1-talk-pairs/half-talks-0,../../docs/eval/v1-talk-pairs/half-talks-1,../../docs/eval/v1-talk-pairs/half-talks-2,../../docs/eval/fresh-talk-9/half-talks-0,../../docs/eval/fresh-talk-9/half-talks-1,../../docs/eval/fresh-talk-9/half-talks-2", "half", "head"},
			"half: 0.97, head: 0.96, half minus head per turn +0.01 (95 % -0.04 .. +0.05), better 107, worse 104, 587 turns",
			"**+0.01 a turn (95 % -0.04, +0.05)**"},
		{[]string{"sides", "../../docs/eval/self-vs-model", "rules", "model"},
			"rules: 1.30, model: 0.74, rules minus model per turn +0.56 (95 % +0.29 .. +0.84), better 37, worse 14, 57 turns",
			"**+0.56 a turn (95 % +0.29, +0.84)**"},
		{[]string{"sides", "../../docs/eval/somber-vs-model", "rules", "model"},
			"rules: 1.63, model: 0.75, rules minus model per turn +0.88 (95 % +0.61 .. +1.16), better 14, worse 0, 17 turns",
			"**+0.88 a turn (95 % +0.61, +1.16)**"},
	} {
		check(t, py, doc, c.args, nil, []string{c.want}, c.docFig)
	}
}

// A sheet of fixed alternatives on fresh messages is made from the
// committed replies by `eval-rating.py versus`: made again with the same
// seed it must be the committed sheet and key, or the ratings no longer
// rate what the record says.
// A sheet of whole conversations (eval-rating.py talks) made again from
// the committed runs with its seed must be the committed sheet and key.
func TestTalksSheetReproduces(t *testing.T) {
	py, _ := pythonAndModelsDoc(t)
	for _, c := range []struct {
		dir, seed string
		runs      []string
		sheets    string // the sheets' folders, SHEETS-0 … SHEETS-2
		parts     int    // how many sheets; 0 is 3
		differ    bool   // of the conversations where the runs differ (talks --differ)
		set       string // the set played; "" is DIR/set
	}{
		{"../../docs/eval/fresh-talk", "20261269", []string{"off=shipped", "ban=ban-first"}, "talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-2", "20261270", []string{"off=off", "ban=ban"}, "talks", 0, false, ""},
		{"../../docs/eval/fresh-talk", "20261272", []string{"head=head", "phrase=phrase-dpo"}, "phrase-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-2", "20261273", []string{"head=head", "phrase=phrase-dpo"}, "phrase-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk", "20261274", []string{"head=head", "half=phrase-half"}, "half-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-2", "20261275", []string{"head=head", "half=phrase-half"}, "half-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk", "20261276", []string{"half=phrase-half", "broken=broken-dpo"}, "broken-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-2", "20261277", []string{"half=phrase-half", "broken=broken-dpo"}, "broken-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-4", "20261281", []string{"head=head", "told=told"}, "told-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-5", "20261283", []string{"head=head", "told=told", "fix=fix"}, "told-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-6", "20261287", []string{"head=head", "wants=wants"}, "wants-talks", 0, false, ""},
		{"../../docs/eval/fresh-talk-7", "20261289", []string{"head=head", "new=new"}, "new-talks", 2, true, ""},
		{"../../docs/eval/fresh-talk-7", "20261302", []string{"new=new", "final=final"}, "final-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-8", "20261304", []string{"head=head", "final=final"}, "final-talks", 2, true, ""},
		{"../../docs/eval/fresh-talk-8", "20261305", []string{"head=soup4", "daily=daily"}, "daily-talks", 0, true, ""},
		{"../../docs/eval/fresh-talk-7", "20261306", []string{"head=soup4", "daily=daily"}, "daily-talks", 0, true, ""},
		{"../../docs/eval/fresh-talk-7", "20261309", []string{"head=soup4", "brief=brief"}, "brief-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-8", "20261310", []string{"head=soup4", "brief=brief"}, "brief-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-7", "20261311", []string{"head=soup4", "asked=asked"}, "asked-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-8", "20261312", []string{"head=soup4", "asked=asked"}, "asked-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-8", "20261314", []string{"head=clock-head", "mend=clock-mend"}, "mend-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-7", "20261315", []string{"head=clock-head", "mend=clock-mend"}, "mend-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-9", "20261316", []string{"head=head", "mend=mend"}, "mend-talks", 1, true, ""},
		{"../../docs/eval/fresh-talk-9", "20261317", []string{"head=mend", "pairs=talk-pairs"}, "pairs-talks", 0, true, ""},
		{"../../docs/eval/v1-talk-pairs", "20261318", []string{"head=soup", "pairs=pairs"}, "talks", 0, true, "sets/v1"},
		{"../../docs/eval/fresh-talk-9", "20261319", []string{"head=soup-now", "half=half27"}, "half-talks", 0, true, ""},
		{"../../docs/eval/v1-talk-pairs", "20261320", []string{"head=soup", "half=half"}, "half-talks", 0, true, "sets/v1"},
	} {
		parts := c.parts
		if parts == 0 {
			parts = 3
		}
		for k := range parts {
			out := t.TempDir()
			set := c.dir + "/set"
			if c.set != "" {
				set = c.set
			}
			args := []string{"../../scripts/eval-rating.py", "--set", set, "talks"}
			if c.differ {
				args = append(args, "--differ")
			}
			args = append(args, c.seed, out, fmt.Sprintf("%d/%d", k, parts))
			for _, r := range c.runs {
				name, run, _ := strings.Cut(r, "=")
				args = append(args, name+"="+c.dir+"/"+run+"/summary.json")
			}
			if b, err := exec.Command(py, args...).CombinedOutput(); err != nil {
				t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, b)
			}
			for _, f := range []string{"sheet.md", "sheet-key.json"} {
				got, err := os.ReadFile(filepath.Join(out, f))
				if err != nil {
					t.Fatal(err)
				}
				want, err := os.ReadFile(fmt.Sprintf("%s/%s-%d/%s", c.dir, c.sheets, k, f))
				if err != nil {
					t.Fatal(err)
				}
				if !bytes.Equal(got, want) {
					t.Errorf("%s/%s-%d/%s is not the sheet made again", c.dir, c.sheets, k, f)
				}
			}
		}
	}
}

func TestVersusSheetReproduces(t *testing.T) {
	py, _ := pythonAndModelsDoc(t)
	const told = "../../docs/eval/told-lines"
	for _, c := range []struct {
		dir, seed, messages string
		sides               []string
		says                string
	}{
		{"../../docs/eval/intent-in-long-talk", "20261241", "", nil, "25 of 100 messages answered differently"},
		{told, "20261242", "", nil, "67 of 70 messages answered differently"},
		{"../../docs/eval/told-short", "20261244", "", nil, "43 of 100 messages answered differently"},
		{"../../docs/eval/asked-lines", "20261249", "", nil, "53 of 270 messages answered differently"},
		{"../../docs/eval/noticed-lines", "20261250", "", nil, "30 of 80 messages answered differently"},
		{"../../docs/eval/day-words", "20261253", "", nil, "27 of 120 messages answered differently"},
		{"../../docs/eval/told-kinds", "20261254", "", nil, "17 of 120 messages answered differently"},
		{"../../docs/eval/asked-kinds", "20261257", "", nil, "29 of 120 messages answered differently"},
		{"../../docs/eval/intents-vs-model", "20261245", "", []string{
			"model=../../docs/eval/intents-vs-model/replies-model.json", "rules=../../docs/eval/intents-vs-model/replies-rules.json"},
			"46 of 46 messages answered differently"},
		{"../../docs/eval/told-sleepless", "20261259", "", nil, "8 of 300 messages answered differently"},
		{"../../docs/eval/about-cat", "20261260", "", nil, "13 of 100 messages answered differently"},
		{"../../docs/eval/likes-kinds", "20261261", "", nil, "20 of 120 messages answered differently"},
		{"../../docs/eval/likes-kinds-2", "20261262", "", nil, "81 of 120 messages answered differently"},
		{"../../docs/eval/bond-kinds", "20261264", "", nil, "44 of 150 messages answered differently"},
		{"../../docs/eval/why-world", "20261265", "", nil, "60 of 150 messages answered differently"},
		{"../../docs/eval/asked-vs-model", "20261266", "", []string{
			"model=../../docs/eval/asked-vs-model/replies-model.json", "rules=../../docs/eval/asked-vs-model/replies-rules.json"},
			"104 of 104 messages answered differently"},
		{"../../docs/eval/felt-kinds", "20261267", "", nil, "48 of 150 messages answered differently"},
		{"../../docs/eval/choices-vs-model", "20261291", "", []string{
			"model=../../docs/eval/choices-vs-model/replies-model.json", "rules=../../docs/eval/choices-vs-model/replies-rules.json",
			"old=../../docs/eval/choices-vs-model/replies-old.json"},
			"53 of 53 messages answered differently"},
		{"../../docs/eval/choices-vs-model-2", "20261293", "", []string{
			"model=../../docs/eval/choices-vs-model-2/replies-model.json", "rules=../../docs/eval/choices-vs-model-2/replies-rules.json"},
			"46 of 46 messages answered differently"},
		{"../../docs/eval/choices-vs-model-3", "20261295", "", []string{
			"model=../../docs/eval/choices-vs-model-3/replies-model.json", "rules=../../docs/eval/choices-vs-model-3/replies-rules.json",
			"old=../../docs/eval/choices-vs-model-3/replies-old.json"},
			"27 of 27 messages answered differently"},
		{"../../docs/eval/nature-vs-model", "20261299", "", []string{
			"model=../../docs/eval/nature-vs-model/replies-model.json", "rules=../../docs/eval/nature-vs-model/replies-rules.json",
			"old=../../docs/eval/nature-vs-model/replies-old.json"},
			"11 of 11 messages answered differently"},
		{"../../docs/eval/nature-vs-model-2", "20261301", "", []string{
			"model=../../docs/eval/nature-vs-model-2/replies-model.json", "rules=../../docs/eval/nature-vs-model-2/replies-rules.json",
			"old=../../docs/eval/nature-vs-model-2/replies-old.json"},
			"11 of 11 messages answered differently"},
		{"../../docs/eval/self-vs-model", "20261285", "", []string{
			"model=../../docs/eval/self-vs-model/replies-model.json", "rules=../../docs/eval/self-vs-model/replies-rules.json"},
			"57 of 57 messages answered differently"},
		{"../../docs/eval/felt-vs-model", "20261268", "", []string{
			"model=../../docs/eval/felt-vs-model/replies-model.json", "rules=../../docs/eval/felt-vs-model/replies-rules.json"},
			"48 of 48 messages answered differently"},
		{"../../docs/eval/likes-vs-model", "20261263", "", []string{
			"model=../../docs/eval/likes-vs-model/replies-model.json", "rules=../../docs/eval/likes-vs-model/replies-rules.json"},
			"101 of 101 messages answered differently"},
		{"../../docs/eval/somber-vs-model", "20261258", "", []string{
			"model=../../docs/eval/somber-vs-model/replies-model.json", "rules=../../docs/eval/somber-vs-model/replies-rules.json"},
			"17 of 17 messages answered differently"},
		{"../../docs/eval/told-vs-model", "20261243", told + "/messages.json",
			[]string{"model=../../docs/eval/told-vs-model/replies-model.json", "told=" + told + "/replies-new.json"},
			"70 of 70 messages answered differently"},
	} {
		if c.messages == "" {
			c.messages = c.dir + "/messages.json"
		}
		if c.sides == nil {
			c.sides = []string{"old=" + c.dir + "/replies-old.json", "new=" + c.dir + "/replies-new.json"}
		}
		tmp := t.TempDir()
		args := append([]string{"../../scripts/eval-rating.py", "versus", c.seed, tmp, c.messages}, c.sides...)
		out, err := exec.Command(py, args...).CombinedOutput()
		if err != nil {
			t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
		}
		if !strings.Contains(string(out), c.says) {
			t.Errorf("versus %s: %s", c.dir, out)
		}
		for _, f := range []string{"sheet.md", "sheet-key.json"} {
			want, err := os.ReadFile(c.dir + "/" + f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(tmp + "/" + f)
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != string(want) {
				t.Errorf("%s/%s is not what versus makes of the committed replies", c.dir, f)
			}
		}
	}
	// The model's side is its eval run's replies, in message order.
	for _, c := range []struct{ dir, prefix string }{
		{"../../docs/eval/told-vs-model", "told"},
		{"../../docs/eval/intents-vs-model", "msg"},
	} {
		var run struct {
			Results []struct{ Conv, Brain, Reply string }
		}
		b, err := os.ReadFile(c.dir + "/summary.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &run); err != nil {
			t.Fatal(err)
		}
		var replies [][2]string
		if b, err = os.ReadFile(c.dir + "/replies-model.json"); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &replies); err != nil {
			t.Fatal(err)
		}
		if len(run.Results) != len(replies) {
			t.Fatalf("%s: %d results, %d replies", c.dir, len(run.Results), len(replies))
		}
		for _, r := range run.Results {
			var n int
			var lang string
			if _, err := fmt.Sscanf(strings.ReplaceAll(r.Conv, "-", " "), c.prefix+" %d %s", &n, &lang); err != nil || n >= len(replies) {
				t.Fatalf("%s: conversation %q: %v", c.dir, r.Conv, err)
			}
			if replies[n] != [2]string{r.Brain, r.Reply} {
				t.Errorf("%s: reply %d is %q, the run said %q", c.dir, n, replies[n], r.Reply)
			}
		}
	}
	// The comfort sitting rated the model on the messages the rules brain
	// found a loss or an ache in: its sides are those of the 60, in order.
	const somber = "../../docs/eval/somber-vs-model"
	var all, picked []struct{ Lang, Text string }
	var rulesAll, rules, model [][2]string
	var run struct {
		Results []struct{ Conv, Brain, Reply string }
	}
	for f, v := range map[string]any{"messages-all.json": &all, "messages.json": &picked, "replies-rules-all.json": &rulesAll,
		"replies-rules.json": &rules, "replies-model.json": &model, "summary.json": &run} {
		b, err := os.ReadFile(somber + "/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, v); err != nil {
			t.Fatalf("%s/%s: %v", somber, f, err)
		}
	}
	said := map[string][2]string{}
	for _, r := range run.Results {
		said[r.Conv] = [2]string{r.Brain, r.Reply}
	}
	var k int
	for i, m := range all {
		if in := rulesAll[i][0]; in != "told_loss" && in != "told_ache" {
			continue
		}
		if k >= len(picked) || picked[k] != m || rules[k] != rulesAll[i] || model[k] != said[fmt.Sprintf("sad-%02d-%s", i, m.Lang)] {
			t.Fatalf("%s: message %d (%q) is not the %d-th picked with its two replies", somber, i, m.Text, k)
		}
		k++
	}
	if k != len(picked) || len(run.Results) != len(all) {
		t.Errorf("%s: %d picked of %d, %d results for %d messages", somber, k, len(picked), len(run.Results), len(all))
	}

	// The routine sheet is made from the two committed eval runs.
	rtmp := t.TempDir()
	rargs := []string{"../../scripts/eval-rating.py", "routine", "20261246", rtmp,
		"../../docs/eval/gemma3-cat-soup-routine/summary.json", "../../docs/eval/gemma3-cat-soup-noroutine/summary.json"}
	if out, err := exec.Command(py, rargs...).CombinedOutput(); err != nil || !strings.Contains(string(out), "40 routine turns") {
		t.Errorf("%s: %v\n%s", strings.Join(rargs, " "), err, out)
	}
	for _, f := range []string{"sheet.md", "sheet-key.json"} {
		want, err := os.ReadFile("../../docs/eval/routine-lines/" + f)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(rtmp + "/" + f); err != nil || string(got) != string(want) {
			t.Errorf("docs/eval/routine-lines/%s is not what routine makes of the committed runs (%v)", f, err)
		}
	}

	const dir = "../../docs/eval/intent-in-long-talk"
	tmp := t.TempDir()
	// A side with a reply missing is refused, not misaligned.
	short := tmp + "/short.json"
	if err := os.WriteFile(short, []byte(`[["unknown", "Mrrp."]]`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := exec.Command(py, "../../scripts/eval-rating.py", "versus", "1", t.TempDir(), dir+"/messages.json", "old="+short, "new="+dir+"/replies-new.json")
	if out, err := bad.CombinedOutput(); err == nil || !strings.Contains(string(out), "has 1 replies for 100 messages") {
		t.Errorf("versus with a short side: %v\n%s", err, out)
	}
}

// pythonAndModelsDoc is the python3 the figures come from and the text of
// docs/models.md that quotes them.
func pythonAndModelsDoc(t *testing.T) (string, []byte) {
	t.Helper()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatalf("python3 not found (.ci/install-deps installs it): %v", err)
	}
	doc, err := os.ReadFile("../../docs/models.md")
	if err != nil {
		t.Fatal(err)
	}
	return py, doc
}

// check runs scripts/eval-rating.py with args on the records of sittings
// and wants every line of want in its output and docRow in docs/models.md.
func check(t *testing.T, py string, doc []byte, args, sittings, want []string, docRow string) {
	t.Helper()
	args = append([]string{"../../scripts/eval-rating.py"}, args...)
	for _, n := range sittings {
		args = append(args, "../../docs/eval/blind-sitting-"+n+".md")
	}
	out, err := exec.Command(py, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, out)
	}
	for _, w := range want {
		if !strings.Contains(string(out), w) {
			t.Errorf("%s lacks %q:\n%s", strings.Join(args[:len(args)-len(sittings)], " "), w, out)
		}
	}
	if !strings.Contains(string(doc), docRow) {
		t.Errorf("docs/models.md no longer has %q, the figure the records give", docRow)
	}
}

// span names sittings from to to, both included.
func span(from, to int) []string {
	var s []string
	for n := from; n <= to; n++ {
		s = append(s, fmt.Sprint(n))
	}
	return s
}

// A sitting rates 25 of the eval's 322 turns. --offset takes another 25
// of the same runs, so more sittings widen what is rated instead of
// rating the same owner lines again; the samples must not overlap, and
// an offset that would reach into the next stride is refused.
func TestBlindOffsetRatesOtherTurns(t *testing.T) {
	py, _ := pythonAndModelsDoc(t)
	runs := []string{"../../docs/eval/gemma3-cat-own-dpo-twice/summary.json", "../../docs/eval/gemma3-cat-own-dpo-twice-run2/summary.json"}
	type key struct {
		Offset int `json:"offset"`
		Turns  map[string]struct {
			Index int `json:"index"`
		} `json:"turns"`
	}
	sit := func(offset int) (key, string) {
		t.Helper()
		dir := t.TempDir()
		args := append([]string{"../../scripts/eval-rating.py", "blind", "--offset", fmt.Sprint(offset), "7", dir}, runs...)
		if out, err := exec.Command(py, args...).CombinedOutput(); err != nil {
			t.Fatalf("eval-rating.py blind --offset %d: %v\n%s", offset, err, out)
		}
		var k key
		b, err := os.ReadFile(dir + "/key.json")
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &k); err != nil {
			t.Fatal(err)
		}
		sheet, err := os.ReadFile(dir + "/sheet.md")
		if err != nil {
			t.Fatal(err)
		}
		return k, string(sheet)
	}
	k0, _ := sit(0)
	k5, sheet5 := sit(5)
	if k5.Offset != 5 || !strings.HasPrefix(sheet5, "# Blind rating sheet (offset 5)") {
		t.Errorf("offset 5: key offset %d, sheet starts %q", k5.Offset, strings.SplitN(sheet5, "\n", 2)[0])
	}
	if len(k0.Turns) != 25 || len(k5.Turns) != 25 {
		t.Fatalf("turns: %d at offset 0, %d at offset 5, want 25", len(k0.Turns), len(k5.Turns))
	}
	seen := map[int]bool{}
	for n, tu := range k0.Turns {
		seen[tu.Index] = true
		if got := k5.Turns[n].Index; got != tu.Index+5 {
			t.Errorf("turn %s: index %d at offset 5, want %d", n, got, tu.Index+5)
		}
	}
	for n, tu := range k5.Turns {
		if seen[tu.Index] {
			t.Errorf("turn %s at offset 5 (result %d) is rated at offset 0 too", n, tu.Index)
		}
	}
	if k11, _ := sit(11); k11.Turns["25"].Index != k0.Turns["25"].Index+11 {
		t.Errorf("offset 11, the last of 322 turns' stride: last turn at result %d, want %d", k11.Turns["25"].Index, k0.Turns["25"].Index+11)
	}
	args := append([]string{"../../scripts/eval-rating.py", "blind", "--offset", "12", "7", t.TempDir()}, runs...)
	out, err := exec.Command(py, args...).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--offset 12: want 0 to 11 for 322 turns") {
		t.Errorf("offset 12 of 322 turns: err %v, output %q; want a refusal naming the range", err, out)
	}
}

// How far choosing among the model's own replies could lift the rating
// (docs/models.md, *How far choosing can reach*): the best of n of the
// rated replies the model said at one turn, over the dev sets' talks
// sheets (fresh-talk-9 is held out and not read).
func TestCeilingFigureReproduces(t *testing.T) {
	py, doc := pythonAndModelsDoc(t)
	var dirs []string
	for _, set := range []string{"fresh-talk", "fresh-talk-2", "fresh-talk-3", "fresh-talk-4", "fresh-talk-5", "fresh-talk-6", "fresh-talk-7", "fresh-talk-8"} {
		d, err := filepath.Glob("../../docs/eval/" + set + "/*talks-*")
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, d...)
	}
	if len(dirs) < 40 {
		t.Fatalf("%d talks sheets in the dev sets; want the 50 there were when the figure was made", len(dirs))
	}
	check(t, py, doc, append([]string{"ceiling"}, dirs...), nil, []string{
		"en: 273 turns, the best of 1, 2, 3, 4 of the model's replies: 0.94, 1.14, 1.23, 1.29",
		"zh: 289 turns, the best of 1, 2, 3, 4 of the model's replies: 0.86, 1.05, 1.14, 1.20",
		"all: 562 turns, the best of 1, 2, 3, 4 of the model's replies: 0.90, 1.10, 1.18, 1.24",
	}, "| both | 562 | 0.90 | 1.10 | 1.18 | 1.24 |")
}
