package dialog

import "unicode"

// DetectLang guesses the language of text from its scripts: "zh" when Han
// characters dominate, "ja" for kana, "ko" for Hangul, "ru" for Cyrillic,
// else "en". Han characters count three times a Latin letter because one
// carries about a word. Text with no letters at all gives "en"; use
// DetectLangOr to choose that fallback.
func DetectLang(text string) string { return DetectLangOr(text, "en") }

// DetectLangOr is DetectLang with the answer for text without letters
// (digits, punctuation, emoji only).
func DetectLangOr(text, fallback string) string {
	var han, kana, hangul, cyr, latin int
	for _, r := range text {
		switch {
		case r < 0x80:
			if r|0x20 >= 'a' && r|0x20 <= 'z' {
				latin++
			}
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.In(r, unicode.Hiragana, unicode.Katakana) && r != 0x30FC:
			kana++
		case unicode.Is(unicode.Hangul, r):
			hangul++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case unicode.IsLetter(r) && r < 0x250:
			latin++
		}
	}
	switch {
	case kana > 0 && (kana+han)*3 >= latin:
		return "ja"
	case hangul > 0 && hangul*3 >= latin:
		return "ko"
	case han > 0 && han*3 >= latin:
		return "zh"
	case cyr > 0 && cyr >= latin:
		return "ru"
	case latin > 0:
		return "en"
	}
	return fallback
}

// LangName names a language for a prompt ("Answer in Chinese").
func LangName(code string) string {
	switch code {
	case "en":
		return "English"
	case "zh":
		return "Chinese (简体中文)"
	case "ja":
		return "Japanese"
	case "ko":
		return "Korean"
	case "ru":
		return "Russian"
	case "fr":
		return "French"
	case "de":
		return "German"
	case "es":
		return "Spanish"
	}
	return code
}
