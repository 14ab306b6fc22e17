package daemon

import (
	"context"
	"image"
	"log/slog"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/purrd/purrd/hal"
	"github.com/purrd/purrd/hal/haltest"
	"github.com/purrd/purrd/internal/testkit"
)

// A picture (the pairing code) stays on the display while reactions come:
// they still reach the eyes, but the face they ask for waits until the
// picture is cleared, or its hold ends; then the newest face shows.
func TestBodyHoldsAPicture(t *testing.T) {
	f := haltest.NewBoard()
	var logs testkit.SyncBuffer
	b := newBody(f.HAL(), slog.New(slog.NewTextHandler(&logs, nil)))
	applied := make(chan bodyCommand, 16)
	b.applied = func(c bodyCommand) { applied <- c }
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() { _ = b.run(ctx) }()
	wait := func(id string) {
		t.Helper()
		for {
			select {
			case c := <-applied:
				if c.ID == id {
					return
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("%s never applied", id)
			}
		}
	}
	pic := image.NewGray(image.Rect(0, 0, 31, 31))
	shown := func() []hal.Expression {
		f.Display.Lock()
		defer f.Display.Unlock()
		return slices.Clone(f.Display.Shown)
	}

	b.showPicture(pic, time.Hour)
	// The picture and reactions come on separate channels: wait until it
	// is up before reacting.
	for deadline := time.Now().Add(10 * time.Second); !slices.Equal(shown(), []hal.Expression{""}); time.Sleep(time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("picture never shown: %q", shown())
		}
	}
	eyes := hal.EyeState{Color: hal.RGB{R: 255}, Brightness: 1}
	b.send(bodyCommand{ID: "r1", Display: hal.ExprHappy, Eyes: &eyes})
	wait("r1")
	b.send(bodyCommand{ID: "r2", Display: hal.ExprLove})
	wait("r2")
	if got := shown(); !slices.Equal(got, []hal.Expression{""}) {
		t.Fatalf("display showed %q while holding the picture, want only the picture", got)
	}
	if !f.Eyes.Lit() {
		t.Error("the eyes did not take the reaction during the picture")
	}
	b.clearPicture()
	wait("picture-end")
	if got := shown(); !slices.Equal(got, []hal.Expression{"", hal.ExprLove}) {
		t.Fatalf("after clearPicture the display showed %q, want the picture then the newest face", got)
	}

	// A hold that ends by itself.
	b.showPicture(pic, 50*time.Millisecond)
	wait("picture-end")
	if got := shown(); !slices.Equal(got, []hal.Expression{"", hal.ExprLove, "", hal.ExprLove}) {
		t.Fatalf("after the hold the display showed %q", got)
	}
	// A picture the panel cannot take is logged, and the face stays.
	b.showPicture(image.NewGray(image.Rect(0, 0, 300, 300)), time.Hour)
	b.send(bodyCommand{ID: "r3", Display: hal.ExprSleepy})
	wait("r3")
	if got := shown(); got[len(got)-1] != hal.ExprSleepy {
		t.Fatalf("after a refused picture the display showed %q", got)
	}
	// The picture and the command travel on separate channels, so the
	// body may apply r3 before it reads the picture: wait for the log.
	for deadline := time.Now().Add(5 * time.Second); !strings.Contains(logs.String(), "does not fit") && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	if !strings.Contains(logs.String(), "does not fit") {
		t.Errorf("refused picture not logged:\n%s", logs.String())
	}
}

func TestPairingQR(t *testing.T) {
	img, err := pairingQR("http://192.168.1.23:8080/#p=abcdefghijklmnopqrstuvwx&u=phone")
	if err != nil {
		t.Fatal(err)
	}
	n := img.Bounds().Dx()
	// Version 4 is 33 modules, plus the one-module quiet zone on each side.
	if n != 35 || img.Bounds().Dy() != n {
		t.Fatalf("QR image %v, want 35x35", img.Bounds())
	}
	g := img.(*image.Gray)
	for i := 0; i < n; i++ {
		for _, p := range []image.Point{{i, 0}, {0, i}, {i, n - 1}, {n - 1, i}} {
			if g.GrayAt(p.X, p.Y).Y != 0xff {
				t.Fatalf("quiet zone dark at %v", p)
			}
		}
	}
	// The top-left finder pattern: a dark 7x7 ring around a light ring.
	for i := 0; i < 7; i++ {
		if g.GrayAt(1+i, 1).Y != 0 || g.GrayAt(1, 1+i).Y != 0 {
			t.Fatalf("finder pattern broken at %d", i)
		}
	}
	if g.GrayAt(2, 2).Y != 0xff || g.GrayAt(4, 4).Y != 0 {
		t.Fatal("finder pattern centre wrong")
	}
	if err := hal.DrawPicture(image.NewGray(image.Rect(0, 0, 128, 64)), img); err != nil {
		t.Fatalf("the pairing code does not fit the OLED: %v", err)
	}
}
