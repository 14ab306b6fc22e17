package dialog

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// A tiny model misquotes figures: "Six dollars of therapy." comes back as
// "Five dollars!", "三十四度" as "四十度", "T0715" as "815", and a flight
// on the 19th of December as "December 19, 2020.". Raters called every
// such reply broken (docs/models.md, *Misquoted figures and names*). The
// guard compares the figures a reply states with those the owner said,
// by value, so "ten", "10" and "十" are one figure.

// figures are the values of the figures in s (reNumber's matches), as
// decimal strings: "twenty-five" and "25" are "25", "九十一" is "91",
// "八万二" is "82000", "0715" is "715".
func figures(s string) []string {
	var out []string
	for _, loc := range reNumber.FindAllStringIndex(s, -1) {
		m := s[loc[0]:loc[1]]
		if m == "十分" && strings.HasPrefix(s[loc[1]:], "钟") {
			out = append(out, "10") // 十分钟, ten minutes; 十分 alone is "very"
			continue
		}
		if v, ok := figureValue(m); ok {
			out = append(out, v)
		}
	}
	return out
}

func figureValue(m string) (string, bool) {
	m = strings.ToLower(m)
	r := []rune(m)
	switch {
	case unicode.IsDigit(r[0]):
		d := strings.ReplaceAll(m, ",", "")
		if i := strings.IndexByte(d, '.'); i >= 0 {
			frac := strings.TrimRight(d[i+1:], "0")
			whole := strings.TrimLeft(d[:i], "0")
			if frac == "" {
				d = whole
			} else {
				d = whole + "." + frac
			}
		} else {
			d = strings.TrimLeft(d, "0")
		}
		if d == "" || d[0] == '.' {
			d = "0" + d
		}
		return d, true
	case r[0] < unicode.MaxASCII:
		n, ok := englishFigure(m)
		return strconv.Itoa(n), ok
	default:
		n, ok := chineseFigure(m)
		return strconv.Itoa(n), ok
	}
}

var englishUnits = map[string]int{
	"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
	"eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
	"eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
	"seventy": 70, "eighty": 80, "ninety": 90, "dozen": 12,
}

// englishFigure reads "twenty-five", "three hundred", "two thousand".
func englishFigure(m string) (int, bool) {
	total, cur := 0, 0
	for _, w := range strings.FieldsFunc(m, func(r rune) bool { return r == '-' || r == ' ' }) {
		switch {
		case englishUnits[w] > 0:
			cur += englishUnits[w]
		case w == "hundred":
			cur = max(cur, 1) * 100
		case w == "thousand":
			total += max(cur, 1) * 1000
			cur = 0
		default:
			return 0, false
		}
	}
	return total + cur, true
}

var chineseDigits = map[rune]int{'零': 0, '〇': 0, '一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
var chineseUnits = map[rune]int{'十': 10, '百': 100, '千': 1000}

// chineseFigure reads 三十四, 一百零五, 九十一, 二零二六, and the spoken
// short forms 八万二 (82,000) and 三千二 (3,200), where a last digit
// after a unit counts in the unit below it. A measure word after the
// figure (两个, 五块) ends it. Words made of numerals that are no figure
// (千万 "by all means", 万一 "in case", 一一 "one by one") are none.
func chineseFigure(m string) (int, bool) {
	if chineseNotFigures[m] {
		return 0, false
	}
	total, section, digit, lastUnit := 0, 0, -1, 0
	for _, r := range m {
		switch {
		case r == '万':
			section += max(digit, 0)
			total += max(section, 1) * 10000
			section, digit, lastUnit = 0, -1, 10000
		case chineseUnits[r] > 0:
			if digit < 0 {
				digit = 1 // 十一 is eleven
			}
			section += digit * chineseUnits[r]
			digit, lastUnit = -1, chineseUnits[r]
		default:
			d, ok := chineseDigits[r]
			if !ok {
				// A measure word: the figure ends before it.
				return finishChinese(total, section, digit, lastUnit), digit >= 0 || section > 0 || total > 0
			}
			switch {
			case lastUnit == 0 && digit >= 0:
				section = section*10 + digit // 二零二六: digit by digit
			case d == 0 && lastUnit > 0:
				lastUnit = 1 // 一百零五: what follows 零 is ones
			}
			digit = d
		}
	}
	return finishChinese(total, section, digit, lastUnit), true
}

var chineseNotFigures = map[string]bool{"千万": true, "万一": true, "一一": true, "万万": true, "三三两两": true, "一二": true,
	"十分": true, "万分": true, "百分": true, "四周": true, "一周": true, "十足": true, "一两": true, "两三": true, "三四": true, "四五": true,
	"五六": true, "六七": true, "七八": true, "八九": true, "三五": true}

func finishChinese(total, section, digit, lastUnit int) int {
	if digit < 0 {
		return total + section
	}
	if lastUnit >= 10 && digit > 0 && section%lastUnit == 0 && section+total > 0 {
		// 八万二, 三千二: the unit below the last one said.
		return total + section + digit*lastUnit/10
	}
	if lastUnit == 0 {
		return total + section*10 + digit
	}
	return total + section + digit
}

// reClockWords and clockMinutes: the minutes of "half past", "quarter
// to".
var (
	reClockWords = regexp.MustCompile(`\b(?:half past|quarter past|quarter to)\b`)
	clockMinutes = map[string]string{"half past": "30", "quarter past": "15", "quarter to": "45"}
)

// toldFigures are the figures the owner has said: in the message, the
// recent history and the kept facts.
func toldFigures(req Request) map[string]bool {
	said := append([]string{req.Text}, req.Facts...)
	for _, t := range req.History {
		if t.Role == "owner" {
			said = append(said, t.Text)
		}
	}
	out := map[string]bool{}
	for _, s := range said {
		for _, v := range figures(s) {
			out[v] = true
		}
		// "Half past seven" is 7:30 said back.
		for _, w := range reClockWords.FindAllString(strings.ToLower(s), -1) {
			out[clockMinutes[w]] = true
		}
	}
	return out
}
