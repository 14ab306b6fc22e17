package hal

import (
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/draw"
)

// PictureDisplay is a Display that can also show a picture in place of the
// face: the pairing QR code on a robot whose only screen is its eyes. The
// next Show brings the face back.
type PictureDisplay interface {
	Display
	ShowPicture(image.Image) error
}

// DrawPicture draws img on dst at the largest whole scale that fits,
// centred, lit (white) where img is light: a QR code's light quiet zone
// and modules stay sharp, with no module split between pixel rows. It
// fails, drawing nothing, for a picture larger than dst.
func DrawPicture(dst draw.Image, img image.Image) error {
	if err := CheckPicture(img, dst.Bounds()); err != nil {
		return err
	}
	r, src := dst.Bounds(), img.Bounds()
	scale := min(r.Dx()/src.Dx(), r.Dy()/src.Dy())
	draw.Draw(dst, r, image.NewUniform(color.Black), image.Point{}, draw.Src)
	off := image.Pt(r.Min.X+(r.Dx()-src.Dx()*scale)/2, r.Min.Y+(r.Dy()-src.Dy()*scale)/2)
	for y := src.Min.Y; y < src.Max.Y; y++ {
		for x := src.Min.X; x < src.Max.X; x++ {
			if !light(img.At(x, y)) {
				continue
			}
			px := off.Add(image.Pt((x-src.Min.X)*scale, (y-src.Min.Y)*scale))
			draw.Draw(dst, image.Rectangle{px, px.Add(image.Pt(scale, scale))}, image.NewUniform(color.White), image.Point{}, draw.Src)
		}
	}
	return nil
}

// CheckPicture reports why img cannot be shown on a panel of bounds r:
// none, empty, or larger than the panel. Recording displays (the sim, the
// fake) check with it what a real panel would refuse.
func CheckPicture(img image.Image, r image.Rectangle) error {
	if img == nil {
		return errors.New("hal: picture: none given")
	}
	src := img.Bounds()
	if src.Dx() <= 0 || src.Dy() <= 0 {
		return fmt.Errorf("hal: picture: empty %v", src)
	}
	if src.Dx() > r.Dx() || src.Dy() > r.Dy() {
		return fmt.Errorf("hal: picture %dx%d does not fit the %dx%d display", src.Dx(), src.Dy(), r.Dx(), r.Dy())
	}
	return nil
}

func light(c color.Color) bool {
	return color.GrayModel.Convert(c).(color.Gray).Y >= 0x80
}
