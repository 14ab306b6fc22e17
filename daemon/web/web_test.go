package web

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// The page's weight on the wire, gzipped, is within issue 11's budget.
const budget = 150 << 10

func TestPageWeight(t *testing.T) {
	gz, plain, err := Weight("purr/kitchen-cat")
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("page weight: %d bytes gzipped (%d plain)", gz, plain)
	if gz > budget {
		t.Fatalf("page is %d bytes gzipped, over the %d budget", gz, budget)
	}
}

// BenchmarkPageWeight reports the figure:
//
//	go test -run '^$' -bench PageWeight ./daemon/web/
func BenchmarkPageWeight(b *testing.B) {
	gz, plain, err := Weight("purr/kitchen-cat")
	if err != nil {
		b.Fatal(err)
	}
	for range b.N {
	}
	b.ReportMetric(float64(gz)/1024, "KiB-gzipped")
	b.ReportMetric(float64(plain)/1024, "KiB-plain")
}

func TestServe(t *testing.T) {
	s, err := Listen(Options{Listen: "127.0.0.1:0", Base: `purr/a"b`, MQTT: http.NotFoundHandler()})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Serve(ctx) }()
	defer func() {
		cancel()
		<-done
	}()
	get := func(path string, gz bool) (*http.Response, string) {
		req, _ := http.NewRequest("GET", "http://"+s.Addr()+path, nil)
		if gz {
			req.Header.Set("Accept-Encoding", "gzip")
		}
		tr := &http.Transport{DisableCompression: true}
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var r io.Reader = resp.Body
		if resp.Header.Get("Content-Encoding") == "gzip" {
			if r, err = gzip.NewReader(resp.Body); err != nil {
				t.Fatal(err)
			}
		}
		b, _ := io.ReadAll(r)
		return resp, string(b)
	}
	resp, body := get("/", true)
	if resp.StatusCode != 200 || resp.Header.Get("Content-Encoding") != "gzip" || !strings.Contains(body, `content="purr/a&#34;b"`) {
		t.Fatalf("index: %d %v\n%.300s", resp.StatusCode, resp.Header, body)
	}
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	if resp, body := get("/app.js", false); resp.StatusCode != 200 || len(body) < 1000 || resp.Header.Get("Content-Encoding") != "" {
		t.Errorf("app.js: %d, %d bytes, %v", resp.StatusCode, len(body), resp.Header)
	}
	if resp, _ := get("/secret", false); resp.StatusCode != 404 {
		t.Errorf("/secret: %d", resp.StatusCode)
	}
}
