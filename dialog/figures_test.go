package dialog

import (
	"slices"
	"testing"
)

func TestFigures(t *testing.T) {
	for s, want := range map[string][]string{
		"Six dollars of therapy.":                    {"6"},
		"Five dollars!":                              {"5"},
		"twenty-five, or 25.0, or 25":                {"25", "25", "25"},
		"three hundred and fifty bucks":              {"300", "50"},
		"Room B214, lands at 2:15, 5,000 steps, 3.5": {"214", "2", "15", "5000", "3.5"},
		"T0715这个探方":                                  {"715"},
		"815。我只记得是第0715。":                            {"815", "715"},
		"三十四度":                                       {"34"},
		"四十度":                                        {"40"},
		"九十一，一百三十七页，一百零五":                            {"91", "137", "105"},
		"八万字以内，九万二，三千二":                              {"80000", "92000", "3200"},
		"两个蛋，五块钱":                                    {"2", "5"},
		"十一点半，十万":                                    {"11", "100000"},
		"二零二六年":                                      {"2026"},
		"千万不能忘，万一呢":                                  nil,
		"三明治，一下，一个":                                  nil,
		"A dozen eggs":                               {"12"},
		"Mrrp! I'm here.":                            nil,
	} {
		if got := figures(s); !slices.Equal(got, want) {
			t.Errorf("figures(%q) = %q, want %q", s, got, want)
		}
	}
}

// FuzzFigures: any text is read without a panic, and the same way twice;
// every figure read is a decimal number.
func FuzzFigures(f *testing.F) {
	for _, s := range []string{"八万二", "一百零五", "twenty-five", "0715", "2,000.50", "十", "万", "零零", "hundred thousand", "3.", ".5"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, b := figures(s), figures(s)
		if !slices.Equal(a, b) {
			t.Fatalf("figures(%q) read twice: %q then %q", s, a, b)
		}
		for _, v := range a {
			for i, r := range v {
				if (r < '0' || r > '9') && !(r == '.' && i > 0) {
					t.Fatalf("figures(%q) gave %q, not a decimal number", s, v)
				}
			}
		}
	})
}
