package daemon

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/daemon/ratings"
	"github.com/purrd/purrd/dialog"
	"github.com/purrd/purrd/dialog/eval"
	"github.com/purrd/purrd/training/dataset"
)

// ratingsCommand is `purrd ratings`: the owner's score of the cat's words
// from the state directory, per brain, and the rated exchanges for a
// maker: all of them as JSONL, or the delightful ones as training
// conversations to review.
func ratingsCommand(inv Invocation, args []string) error {
	flags := flag.NewFlagSet("purrd ratings", flag.ContinueOnError)
	flags.SetOutput(inv.Stderr)
	path := flags.String("config", "/etc/purrd/purrd.yaml", "configuration file (its state.dir holds ratings.json)")
	file := flags.String("file", "", "a ratings.json to read instead of the state directory's")
	exportTo := flags.String("export", "", "write every rating, with its exchange, to this JSONL file")
	convDir := flags.String("conv", "", "write the exchanges rated -min or better as rated.en.conv and rated.zh.conv in this folder")
	least := flags.Int("min", ratings.Delightful, "the least score -conv takes")
	if err := flags.Parse(args); err != nil {
		return &ExitError{Code: ExitUsage, Err: err, Reported: true}
	}
	if flags.NArg() > 0 {
		return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd ratings: unexpected argument %q", flags.Arg(0))}
	}
	if *least < ratings.Broken || *least > ratings.Delightful {
		return &ExitError{Code: ExitUsage, Message: fmt.Sprintf("purrd ratings: -min %d: want 0, 1 or 2", *least)}
	}
	src := *file
	if src == "" {
		cfg, err := config.Load(*path)
		if err != nil {
			return configExit(inv.Stderr, *path, err)
		}
		src = filepath.Join(stateDirOf(cfg), ratingsFile)
	}
	data, err := os.ReadFile(src)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(inv.Stdout, "no ratings yet (%s does not exist): rate the cat's replies on the phone page\n", src)
		return nil
	}
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("purrd ratings: %w", err)}
	}
	book, err := ratings.Load(data)
	if err != nil {
		return &ExitError{Code: ExitFailure, Err: fmt.Errorf("purrd ratings: %s: %w", src, err)}
	}
	writeScores(inv.Stdout, book)
	if *exportTo != "" {
		if err := exportRatings(*exportTo, book.Ratings()); err != nil {
			return &ExitError{Code: ExitFailure, Err: err}
		}
		fmt.Fprintf(inv.Stdout, "wrote %d ratings to %s\n", len(book.Ratings()), *exportTo)
	}
	if *convDir != "" {
		if err := writeRatedConvs(inv.Stdout, *convDir, book.Ratings(), *least); err != nil {
			return &ExitError{Code: ExitFailure, Err: err}
		}
	}
	return nil
}

func writeScores(w io.Writer, book *ratings.Book) {
	s := book.Score()
	if s.Count == 0 {
		fmt.Fprintln(w, "no ratings yet")
		return
	}
	fmt.Fprintf(w, "owner's score: %.2f / 2 over the last %d ratings (broken %d, ok %d, delightful %d) since %s\n",
		s.Mean, s.Count, s.Counts[0], s.Counts[1], s.Counts[2], s.Since.Format("2006-01-02"))
	fmt.Fprintln(w, "per brain, over all kept ratings (the brain rated last first):")
	for _, b := range book.ByBrain() {
		fmt.Fprintf(w, "  %.2f  %4d ratings (%d/%d/%d)  since %s  %s\n", b.Mean, b.Count, b.Counts[0], b.Counts[1], b.Counts[2],
			b.Since.Format("2006-01-02"), b.Brain)
	}
}

// exportRatings writes one rating a line, as the ratings file keeps them.
func exportRatings(path string, rs []ratings.Rating) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("purrd ratings: -export: %w", err)
	}
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, r := range rs {
		if err = enc.Encode(r); err != nil {
			break
		}
	}
	if err == nil {
		err = w.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("purrd ratings: -export %s: %w", path, err)
	}
	return nil
}

// writeRatedConvs writes the exchanges rated least or better as training
// conversations, one file per language, each checked by the dataset's own
// loader (its rules on reply length, language and owner facts) and kept
// out if it is refused or if its owner line is one of the eval's: the
// eval must never ask what training showed.
func writeRatedConvs(w io.Writer, dir string, rs []ratings.Rating, least int) error {
	set, err := eval.DefaultSet()
	if err != nil {
		return fmt.Errorf("purrd ratings: -conv: %w", err)
	}
	overlap := dataset.NewEvalOverlap(eval.OwnerLines(set))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("purrd ratings: -conv: %w", err)
	}
	files := map[string]*strings.Builder{}
	var kept, left int
	for _, r := range rs {
		if r.Score < least || r.Forgotten {
			continue
		}
		c, why := ratedConversation(r)
		if why == "" {
			why = overlap.Conversation(c)
		}
		var text strings.Builder
		if why == "" {
			title := fmt.Sprintf("rated %d: %s, %s", r.Score, r.ReplyID, r.RatedAt.Format("2006-01-02"))
			if err := dataset.Encode(&text, title, c); err != nil {
				why = err.Error()
			} else if _, err := dataset.LoadFile("rated."+c.Lang+".conv", text.String()); err != nil {
				why = err.Error()
			}
		}
		if why != "" {
			left++
			fmt.Fprintf(w, "left out %s: %s\n", r.ReplyID, why)
			continue
		}
		if files[c.Lang] == nil {
			files[c.Lang] = &strings.Builder{}
			fmt.Fprintf(files[c.Lang], "# Exchanges rated %d or better (purrd ratings -conv): review each before training on it.\n", least)
		}
		files[c.Lang].WriteString(text.String())
		kept++
	}
	for lang, b := range files {
		p := filepath.Join(dir, "rated."+lang+".conv")
		if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
			return fmt.Errorf("purrd ratings: -conv: %w", err)
		}
		fmt.Fprintf(w, "wrote %s\n", p)
	}
	fmt.Fprintf(w, "%d rated exchanges written as training conversations, %d left out\n", kept, left)
	return nil
}

// ratedConversation is a rating's exchange as a training conversation:
// its facts, mood and name, the earlier turns from the first owner line
// on, the owner's line and the reply. why says what keeps it out.
func ratedConversation(r ratings.Rating) (c dataset.Conversation, why string) {
	if r.Lang != "en" && r.Lang != "zh" {
		return c, fmt.Sprintf("language %q: the training set is English and Chinese", r.Lang)
	}
	if r.Mood == "" {
		return c, "no mood kept with it"
	}
	c = dataset.Conversation{Lang: r.Lang, Mood: r.Mood, PetName: r.Pet, Facts: r.Facts}
	before := r.Before
	for len(before) > 0 && before[0].Role != "owner" {
		before = before[1:]
	}
	for i, l := range before {
		if l.Role != []string{"owner", "pet"}[i%2] {
			before = nil // a remark or care line broke the alternation: the exchange alone
			break
		}
	}
	if len(before)%2 == 1 {
		before = nil
	}
	for _, l := range before {
		c.Turns = append(c.Turns, dialog.Turn{Role: l.Role, Text: l.Text})
	}
	c.Turns = append(c.Turns, dialog.Turn{Role: "owner", Text: r.Owner}, dialog.Turn{Role: "pet", Text: r.Reply})
	return c, ""
}
