package periph

import (
	"fmt"
	"image"
	"sync"

	"periph.io/x/devices/v3/ssd1306"
	"periph.io/x/devices/v3/ssd1306/image1bit"

	"github.com/purrd/purrd/hal"
)

// display is a 128x64 SSD1306 OLED showing the eyes.
type display struct {
	name string
	dev  *ssd1306.Dev
	mu   sync.Mutex
	img  *image1bit.VerticalLSB
	last hal.Expression
}

func (b *builder) newDisplay(s hal.DeviceSpec) (*display, error) {
	s = withAddress(s)
	bus, err := b.i2cBus(s)
	if err != nil {
		return nil, err
	}
	d, err := ssd1306.NewI2C(&addrBus{Bus: bus, from: 0x3c, to: s.Address}, &ssd1306.Opts{W: 128, H: 64})
	if err != nil {
		return nil, noAnswer(s, err)
	}
	return &display{name: s.Name, dev: d, img: image1bit.NewVerticalLSB(image.Rect(0, 0, 128, 64))}, nil
}

// Show implements hal.Display.
func (d *display) Show(e hal.Expression) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := hal.DrawFace(d.img, e); err != nil {
		return fmt.Errorf("periph: %s: Show: %w", d.name, err)
	}
	if err := d.dev.Draw(d.img.Bounds(), d.img, image.Point{}); err != nil {
		return fmt.Errorf("periph: %s: Show(%s): %w", d.name, e, err)
	}
	d.last = e
	return nil
}

// ShowPicture implements hal.PictureDisplay.
func (d *display) ShowPicture(img image.Image) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := hal.DrawPicture(d.img, img); err != nil {
		return fmt.Errorf("periph: %s: ShowPicture: %w", d.name, err)
	}
	if err := d.dev.Draw(d.img.Bounds(), d.img, image.Point{}); err != nil {
		return fmt.Errorf("periph: %s: ShowPicture: %w", d.name, err)
	}
	d.last = ""
	return nil
}

// Halt implements hal.Halter: the panel is switched off.
func (d *display) Halt() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.dev.Halt(); err != nil {
		return fmt.Errorf("periph: %s: Halt: %w", d.name, err)
	}
	return nil
}
