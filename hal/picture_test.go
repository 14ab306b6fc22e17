package hal

import (
	"image"
	"strings"
	"testing"
)

func TestDrawPicture(t *testing.T) {
	// A 3x2 picture: light, dark, light / dark, light, dark.
	src := image.NewGray(image.Rect(0, 0, 3, 2))
	for i, on := range []bool{true, false, true, false, true, false} {
		if on {
			src.Pix[i] = 0xff
		}
	}
	dst := image.NewGray(image.Rect(0, 0, 20, 9))
	if err := DrawPicture(dst, src); err != nil {
		t.Fatal(err)
	}
	// Scale 4 (9/2 rounds down), centred: x from 4, y from 0 (one row left
	// over at the bottom).
	var b strings.Builder
	for y := 0; y < 9; y++ {
		for x := 0; x < 20; x++ {
			if dst.GrayAt(x, y).Y == 0xff {
				b.WriteByte('#')
			} else {
				b.WriteByte('.')
			}
		}
		b.WriteByte('\n')
	}
	want := strings.Repeat("....####....####....\n", 4) + strings.Repeat("........####........\n", 4) + "....................\n"
	if b.String() != want {
		t.Errorf("drawn:\n%swant:\n%s", b.String(), want)
	}
	if err := DrawPicture(image.NewGray(image.Rect(0, 0, 2, 2)), src); err == nil || !strings.Contains(err.Error(), "does not fit") {
		t.Errorf("too large a picture: %v, want an error saying it does not fit", err)
	}
	if err := DrawPicture(dst, nil); err == nil {
		t.Error("nil picture accepted")
	}
}
