package hal

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"math"
)

// Expressions lists every expression a Display must be able to show.
func Expressions() []Expression {
	return []Expression{ExprNeutral, ExprHappy, ExprSleepy, ExprSurprised, ExprSad, ExprAnnoyed, ExprLove}
}

// CheckExpression returns an error naming e when it is not a known
// expression.
func CheckExpression(e Expression) error {
	for _, k := range Expressions() {
		if e == k {
			return nil
		}
	}
	return fmt.Errorf("hal: unknown expression %q (want one of %v)", e, Expressions())
}

// DrawFace draws a pair of eyes showing e on dst (white on black), scaled to
// its bounds. It is what the SSD1306 shows and what tests compare against.
func DrawFace(dst draw.Image, e Expression) error {
	if err := CheckExpression(e); err != nil {
		return err
	}
	r := dst.Bounds()
	draw.Draw(dst, r, image.NewUniform(color.Black), image.Point{}, draw.Src)
	w, h := float64(r.Dx()), float64(r.Dy())
	rad := math.Min(w/4, h/2) * 0.6
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			fx, fy := float64(x-r.Min.X)+0.5, float64(y-r.Min.Y)+0.5
			left := fx < w/2
			cx := w / 4
			if !left {
				cx = 3 * w / 4
			}
			dx, dy := (fx-cx)/rad, (fy-h/2)/rad // unit eye coordinates, y down
			if !left {
				dx = -dx // mirror so that "outer" is negative dx for both eyes
			}
			if eyePixel(e, dx, dy) {
				dst.Set(x, y, color.White)
			}
		}
	}
	return nil
}

// eyePixel says whether the point (dx, dy) of an eye of radius 1 is lit;
// dx < 0 is towards the outside of the face.
func eyePixel(e Expression, dx, dy float64) bool {
	d := math.Hypot(dx, dy)
	switch e {
	case ExprNeutral:
		return d <= 0.8
	case ExprHappy: // upturned arcs: ^ ^
		return d <= 0.85 && d >= 0.55 && dy <= 0.05
	case ExprSleepy: // closed lids
		return math.Abs(dy-0.2) <= 0.12 && math.Abs(dx) <= 0.8
	case ExprSurprised: // wide rings with a small pupil
		return (d <= 1 && d >= 0.82) || d <= 0.25
	case ExprSad: // lids drooping towards the outside
		return d <= 0.8 && dy >= -0.1+0.45*(-dx)
	case ExprAnnoyed: // flat half-closed lids
		return d <= 0.8 && dy >= 0.05
	case ExprLove: // hearts
		x, y := dx*1.2, -dy*1.2+0.2
		q := x*x + y*y - 0.5
		return q*q*q-x*x*y*y*y <= 0
	}
	return false
}
