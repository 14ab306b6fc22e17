package periph

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
	"text/tabwriter"

	"periph.io/x/conn/v3/driver/driverreg"
	"periph.io/x/conn/v3/gpio/gpioreg"
	"periph.io/x/conn/v3/i2c/i2creg"
	"periph.io/x/conn/v3/pin"
	"periph.io/x/conn/v3/spi/spireg"
	"periph.io/x/host/v3"

	"github.com/purrd/purrd/hal"
)

// Report is what `purrd hw` prints: the host drivers periph tried, the pins
// and buses it found, and whether each configured device answered.
type Report struct {
	InitErr string         // host.Init's own error, if any
	Loaded  []string       // host drivers loaded
	Skipped []DriverResult // not applicable to this board
	Failed  []DriverResult // applicable but failed (often: permissions)
	Pins    []string       // GPIO pins, "GPIO17 (In/High)"
	I2C     []string       // I²C buses, "I2C1 (aliases: 1)"
	SPI     []string       // SPI ports
	Devices []DeviceResult // one per configured device, in config order
}

// DriverResult is one host driver that did not load, and why.
type DriverResult struct{ Name, Reason string }

// DeviceResult says whether one configured device answered.
type DeviceResult struct {
	Name, Kind, Where string
	Optional          bool
	OK                bool
	Err               string
}

// OK reports whether every required device answered.
func (r Report) OK() bool {
	for _, d := range r.Devices {
		if !d.OK && !d.Optional {
			return false
		}
	}
	return r.InitErr == ""
}

// Inventory initialises periph's host drivers, lists what it found and
// probes each device in specs by opening it alone (outputs are halted
// again at once). It never fails: problems are in the report.
func Inventory(ctx context.Context, specs []hal.DeviceSpec, timing hal.Timing, log *slog.Logger) Report {
	var r Report
	st, err := host.Init()
	if err != nil {
		r.InitErr = err.Error()
	}
	r.addState(st)
	for _, p := range gpioreg.All() {
		fn := "?"
		if pf, ok := p.(pin.PinFunc); ok {
			fn = string(pf.Func())
		}
		r.Pins = append(r.Pins, fmt.Sprintf("%s (%s)", p.Name(), fn))
	}
	for _, b := range i2creg.All() {
		r.I2C = append(r.I2C, refString(b.Name, b.Aliases))
	}
	for _, p := range spireg.All() {
		r.SPI = append(r.SPI, refString(p.Name, p.Aliases))
	}
	r.Devices = Probe(ctx, specs, timing, log, Hardware{registry: true})
	return r
}

// Probe opens each device of specs on its own over hw and reports whether
// it answered.
func Probe(ctx context.Context, specs []hal.DeviceSpec, timing hal.Timing, log *slog.Logger, hw Hardware) []DeviceResult {
	out := make([]DeviceResult, 0, len(specs))
	for _, s := range specs {
		d := DeviceResult{Name: s.Name, Kind: s.Kind, Where: where(withAddress(s)), Optional: s.Optional}
		one := s
		one.Optional = false
		b, err := OpenWith(ctx, []hal.DeviceSpec{one}, timing, log, hw)
		if err != nil {
			d.Err = err.Error()
		} else {
			d.OK = true
			if err := b.Close(); err != nil {
				d.Err = "answered, but closing it failed: " + err.Error()
			}
		}
		out = append(out, d)
	}
	return out
}

func (r *Report) addState(st *driverreg.State) {
	if st == nil {
		return
	}
	for _, d := range st.Loaded {
		r.Loaded = append(r.Loaded, d.String())
	}
	for _, f := range st.Skipped {
		r.Skipped = append(r.Skipped, DriverResult{f.D.String(), errString(f.Err)})
	}
	for _, f := range st.Failed {
		r.Failed = append(r.Failed, DriverResult{f.D.String(), errString(f.Err)})
	}
	sort.Strings(r.Loaded)
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func refString(name string, aliases []string) string {
	if len(aliases) == 0 {
		return name
	}
	return fmt.Sprintf("%s (aliases: %s)", name, strings.Join(aliases, ", "))
}

func where(s hal.DeviceSpec) string {
	var parts []string
	if s.Pin != "" {
		parts = append(parts, "pin "+s.Pin)
	}
	if s.Bus != "" {
		parts = append(parts, "bus "+s.Bus)
	}
	if s.Address != 0 {
		parts = append(parts, fmt.Sprintf("address %#02x", s.Address))
	}
	return strings.Join(parts, ", ")
}

// WriteTo writes the report for a person at a terminal.
func (r Report) WriteTo(w io.Writer) (int64, error) {
	cw := &countWriter{w: w}
	p := func(format string, a ...any) { fmt.Fprintf(cw, format, a...) }
	if r.InitErr != "" {
		p("host.Init failed: %s\n", r.InitErr)
	}
	p("Host drivers loaded (%d): %s\n", len(r.Loaded), orNone(strings.Join(r.Loaded, ", ")))
	if len(r.Failed) > 0 {
		p("Host drivers FAILED (%d):\n", len(r.Failed))
		for _, f := range r.Failed {
			p("  %s: %s\n", f.Name, f.Reason)
		}
	}
	p("Host drivers skipped (%d):", len(r.Skipped))
	if len(r.Skipped) == 0 {
		p(" none\n")
	} else {
		p("\n")
		for _, f := range r.Skipped {
			p("  %s: %s\n", f.Name, f.Reason)
		}
	}
	p("GPIO pins (%d): %s\n", len(r.Pins), orNone(strings.Join(r.Pins, ", ")))
	p("I2C buses (%d): %s\n", len(r.I2C), orNone(strings.Join(r.I2C, "; ")))
	p("SPI ports (%d): %s\n", len(r.SPI), orNone(strings.Join(r.SPI, "; ")))
	p("Devices (%d):\n", len(r.Devices))
	tw := tabwriter.NewWriter(cw, 0, 4, 2, ' ', 0)
	for _, d := range r.Devices {
		status := "ok"
		switch {
		case !d.OK && d.Optional:
			status = "MISSING (optional)"
		case !d.OK:
			status = "MISSING"
		}
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", d.Name, d.Kind, orNone(d.Where), status)
		if d.Err != "" {
			fmt.Fprintf(tw, "  \t\t\t  %s\n", d.Err)
		}
	}
	tw.Flush()
	if len(r.Devices) == 0 {
		p("  (no devices configured)\n")
	}
	if r.OK() {
		p("All required devices answered.\n")
	} else {
		p("Some required devices did not answer; see docs/hardware.md.\n")
	}
	return cw.n, cw.err
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

type countWriter struct {
	w   io.Writer
	n   int64
	err error
}

func (c *countWriter) Write(b []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	n, err := c.w.Write(b)
	c.n += int64(n)
	c.err = err
	return n, err
}
