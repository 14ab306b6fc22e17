package web

import (
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"regexp"
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
	// The page links its script and style by content; so linked, they are
	// cached for good, and the bare names (an old page) are revalidated.
	if cc := resp.Header.Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("index Cache-Control %q, want no-cache", cc)
	}
	for _, name := range []string{"app.js", "app.css"} {
		m := regexp.MustCompile(`"(` + regexp.QuoteMeta(name) + `\?v=[0-9a-f]{16})"`).FindStringSubmatch(body)
		if m == nil {
			t.Errorf("index does not link %s by version:\n%.600s", name, body)
			continue
		}
		r, b := get("/"+m[1], true)
		if r.StatusCode != 200 || len(b) < 1000 || !strings.Contains(r.Header.Get("Cache-Control"), "immutable") {
			t.Errorf("%s: %d, %d bytes, Cache-Control %q", m[1], r.StatusCode, len(b), r.Header.Get("Cache-Control"))
		}
		if r, _ := get("/"+name+"?v=0000000000000000", true); r.Header.Get("Cache-Control") != "no-cache" {
			t.Errorf("%s with another version: Cache-Control %q, want no-cache", name, r.Header.Get("Cache-Control"))
		}
	}
	if resp, _ := get("/secret", false); resp.StatusCode != 404 {
		t.Errorf("/secret: %d", resp.StatusCode)
	}
}
