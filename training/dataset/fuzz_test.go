package dataset

import "testing"

// FuzzParseFile feeds arbitrary text through the parser and, when it
// parses, through reference checks and expansion: bad input must come back
// as an error, never a panic or a hang.
func FuzzParseFile(f *testing.F) {
	f.Add("mood: content\n== x2\nowner: hi {pet}\ncat: {a|b} {@q x|y}\n")
	f.Add("$s = a :: b | {c|d} :: e\nmood: {s.1}\n==\nfact: owner likes {s}\nowner: {~s}\ncat: \\{x\\}\n")
	f.Fuzz(func(t *testing.T, src string) {
		pf, err := parseFile("f.en.conv", "en", src)
		if err != nil {
			return
		}
		table := slotTable{commonScope: {"pet": {scope: commonScope, name: "pet", file: "common.slots", line: 1,
			values: [][][]node{{{{text: "Mochi"}}}}}}}
		for _, d := range pf.slots {
			if table[d.scope] == nil {
				table[d.scope] = map[string]*slotDef{}
			}
			table[d.scope][d.name] = d
		}
		if err := checkRefs(table, pf.convs); err != nil {
			return
		}
		for _, c := range pf.convs {
			for k := range min(c.count, 3) {
				_, _ = expand(table, c, k)
			}
		}
	})
}
