package daemon

import (
	"image"
	"image/color"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/purrd/purrd/hal"
)

// The pairing code on the cat's face: a robot whose only screen is its
// OLED eyes shows the code that opens the phone page, logged in, when
// purrd makes the phone login (first start, or `purrd pair -reset`), until
// a phone logs in with it or pairingFaceHold passes. The journal and
// `purrd pair` show the same code.

// pairingFaceHold is how long the code stays without a phone logging in:
// long enough to find a phone, short enough that the cat gets its face
// back if nobody does.
const pairingFaceHold = 10 * time.Minute

// pairingQR is the link as a QR code image: dark modules dark, a quiet
// zone of one light module (the panel is 64 pixels high, so the four of
// the standard would halve the scale; phone scanners read one).
func pairingQR(link string) (image.Image, error) {
	q, err := qrcode.New(link, qrcode.Low)
	if err != nil {
		return nil, err
	}
	q.DisableBorder = true
	bits := q.Bitmap()
	n := len(bits)
	img := image.NewGray(image.Rect(0, 0, n+2, n+2))
	for i := range img.Pix {
		img.Pix[i] = 0xff
	}
	for y, row := range bits {
		for x, dark := range row {
			if dark {
				img.SetGray(x+1, y+1, color.Gray{})
			}
		}
	}
	return img, nil
}

// showPairingFace puts the code for link on the display, if it can show
// pictures.
func (d *daemon) showPairingFace(link string) {
	if _, ok := d.board.Display.(hal.PictureDisplay); !ok {
		return
	}
	img, err := pairingQR(link)
	if err != nil {
		d.log.Warn("pairing code not shown on the display", "component", "web", "err", err)
		return
	}
	d.body.showPicture(img, pairingFaceHold)
	d.log.Info("pairing code on the display until a phone logs in", "component", "web",
		"modules", img.Bounds().Dx(), "hold", pairingFaceHold)
}

// pairingReset shows the new code when `purrd pair -reset` replaced the
// password (the broker noticed; it runs this on its goroutine).
func (d *daemon) pairingReset() {
	listen := d.pageListen.Load()
	if listen == nil {
		return // no phone page: nothing to open
	}
	l, err := loginFor(d.cfg, d.state.Path(), false)
	if err != nil {
		d.log.Warn("pairing code not shown on the display", "component", "web", "err", err)
		return
	}
	link, err := pageURL(*listen, l)
	if err != nil {
		d.log.Warn("pairing code not shown on the display", "component", "web", "err", err)
		return
	}
	d.showPairingFace(link)
}
