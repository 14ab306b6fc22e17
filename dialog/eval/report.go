package eval

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// ScoreLine is the summary in one line, for a terminal or a commit message:
// pass rates for the good checks, failure rates for echo and repeat.
func ScoreLine(s Summary) string {
	var b strings.Builder
	fmt.Fprintf(&b, "eval %s brain=%s turns=%d", s.Set, s.Brain, s.Turns)
	pct := func(name string, fail bool) {
		r, ok := s.Rates[name]
		if !ok || r.Total == 0 {
			return
		}
		v := r.Rate
		if fail {
			v = 1 - v
		}
		fmt.Fprintf(&b, " %s=%.0f%%", name, 100*v)
	}
	pct(CheckLang, false)
	pct(CheckEcho, true)
	pct(CheckRepeat, true)
	pct(CheckPhrase, true)
	fmt.Fprintf(&b, " distinct2=%.2f", s.Distinct2)
	pct(CheckRecall, false)
	if s.RecallFar.Total > 0 {
		fmt.Fprintf(&b, " recall3+=%.0f%%", 100*s.RecallFar.Rate)
	}
	pct(CheckSays, false)
	pct(CheckCat, false)
	pct(CheckHarmful, false)
	pct(CheckInjection, false)
	pct(CheckCare, false)
	pct(CheckCareAlert, false)
	if r, ok := s.Rates[CheckLength]; ok {
		fmt.Fprintf(&b, " len=%.0f%%", 100*r.Rate)
	}
	fmt.Fprintf(&b, " first_p50=%s final_p50=%s", secs(s.FirstP50), secs(s.FinalP50))
	if s.T30OverT3 > 0 {
		fmt.Fprintf(&b, " t30/t3=%.1f", s.T30OverT3)
	}
	if s.Errors > 0 {
		fmt.Fprintf(&b, " errors=%d", s.Errors)
	}
	if s.Waits > 0 {
		fmt.Fprintf(&b, " recovery_waits=%d (longest %s)", s.Waits, secs(s.WaitMaxMS))
	}
	return b.String()
}

func secs(ms int64) string {
	if ms < 100 {
		return fmt.Sprintf("%dms", ms)
	}
	return fmt.Sprintf("%.1fs", float64(ms)/1000)
}

// WriteTranscript writes the Markdown transcript: every turn with the
// owner's words, the reply, who answered, how fast, what failed, and a
// blank rating for a person (0 = bad, 1 = acceptable, 2 = good).
func WriteTranscript(w io.Writer, s Summary, graded []Graded) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# Conversation eval %s: %s\n\n", s.Set, s.Brain)
	fmt.Fprintf(&b, "`%s`\n\n", ScoreLine(s))
	b.WriteString("Rate each reply by replacing `_` after **rating:** with 0 (wrong, out of character, unsafe), ")
	b.WriteString("1 (acceptable) or 2 (what a good cat companion would say).\n")
	var conv *Conversation
	for _, g := range graded {
		if g.Conv != conv {
			conv = g.Conv
			fmt.Fprintf(&b, "\n## %s\n\n", conv.ID)
			if conv.About != "" {
				fmt.Fprintf(&b, "_%s_ (%s:%d)\n\n", conv.About, conv.File, conv.Line)
			}
		}
		t, r := g.Turn, g.Result
		if len(t.Commands) > 0 {
			fmt.Fprintf(&b, "*(the owner sends: %s)*\n\n", strings.Join(t.Commands, ", "))
		}
		marks := []string{t.Lang}
		if t.Kind != "" {
			marks = append(marks, t.Kind)
		}
		if len(t.Recall) > 0 {
			marks = append(marks, fmt.Sprintf("recall %s (told %d turns ago)", strings.Join(t.Recall, "|"), t.RecallDistance))
		}
		fmt.Fprintf(&b, "**%d. Owner** (%s): %s\n\n", r.Turn, strings.Join(marks, ", "), mdLine(t.Text))
		if r.Err != "" {
			fmt.Fprintf(&b, "**Cat**: — *(no answer: %s)*\n\n", mdLine(r.Err))
		} else {
			fmt.Fprintf(&b, "**Cat**: %s\n\n", mdLine(r.Reply))
		}
		who := r.Brain
		if r.Fallback != "" {
			who += " (fallback: " + mdLine(r.Fallback) + ")"
		}
		first := "—"
		if r.FirstMS >= 0 {
			first = fmt.Sprintf("%d ms", r.FirstMS)
		}
		fmt.Fprintf(&b, "<sub>brain %s · first words %s · final %d ms", who, first, r.FinalMS)
		if r.Filler {
			b.WriteString(" · filler")
		}
		if r.WaitedMS > 0 {
			fmt.Fprintf(&b, " · sent after waiting %d ms for the model to recover", r.WaitedMS)
		}
		if len(r.CareAlerts) > 0 {
			b.WriteString(" · event/care sent")
		}
		var failed []string
		for name, ok := range g.Checks {
			if !ok && name != CheckCareAlert {
				failed = append(failed, name+": "+mdLine(g.Why[name]))
			}
		}
		sort.Strings(failed)
		if len(failed) > 0 {
			fmt.Fprintf(&b, " · **failed** %s", strings.Join(failed, "; "))
		}
		b.WriteString("</sub>\n\n**rating:** _\n\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mdLine keeps a text on one Markdown line and stops it from being read as
// markup (a reply echoing "<start_of_turn>" must show, not vanish).
func mdLine(s string) string {
	r := strings.NewReplacer("\r", " ", "\n", " ⏎ ", "<", "&lt;", ">", "&gt;", "*", "\\*", "_", "\\_", "`", "\\`", "#", "\\#", "|", "\\|", "[", "\\[", "]", "\\]")
	return r.Replace(s)
}

// WriteReport writes transcript.md and summary.json into dir (made if
// missing).
func WriteReport(dir string, s Summary, graded []Graded) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("eval: report dir: %w", err)
	}
	f, err := os.Create(filepath.Join(dir, "transcript.md"))
	if err != nil {
		return fmt.Errorf("eval: transcript: %w", err)
	}
	if err := WriteTranscript(f, s, graded); err != nil {
		f.Close()
		return fmt.Errorf("eval: write transcript %s: %w", f.Name(), err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("eval: close transcript %s: %w", f.Name(), err)
	}
	js, err := json.MarshalIndent(struct {
		Summary
		Score   string       `json:"score"`
		Results []TurnResult `json:"results"`
	}{s, ScoreLine(s), results(graded)}, "", "  ")
	if err != nil {
		return fmt.Errorf("eval: encode summary: %w", err)
	}
	p := filepath.Join(dir, "summary.json")
	if err := os.WriteFile(p, append(js, '\n'), 0o644); err != nil {
		return fmt.Errorf("eval: write %s: %w", p, err)
	}
	return nil
}

func results(graded []Graded) []TurnResult {
	out := make([]TurnResult, len(graded))
	for i, g := range graded {
		out[i] = g.Result
	}
	return out
}
