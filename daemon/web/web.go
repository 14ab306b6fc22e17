// Package web serves the phone page: a small app built from web/ (u8-mqtt
// bundled with esbuild; committed in static/ so a clone builds offline)
// and MQTT over WebSocket on /mqtt into the embedded broker. The page is
// one more client of the documented topic API (docs/mqtt.md): it has no
// API of its own here. It holds no secret: the login comes from the
// pairing link's fragment and every MQTT connection is checked by the
// broker.
package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"html"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
)

//go:embed static
var static embed.FS

// Options configure a Server.
type Options struct {
	Listen string       // host:port
	Base   string       // the MQTT base topic the page uses
	MQTT   http.Handler // MQTT over WebSocket (mqtt.Link.WebSocket)
	Logger *slog.Logger
}

// Server is the phone page's HTTP server.
type Server struct {
	ln    net.Listener
	srv   *http.Server
	files map[string]*file
	log   *slog.Logger
}

type file struct {
	ctype     string
	plain, gz []byte
	version   string // of the content: ?v= in the page's links
	etag      string // the version, quoted
}

// assets are the page's files: name in static/ -> content type.
var assets = map[string]string{
	"index.html": "text/html; charset=utf-8",
	"app.js":     "text/javascript; charset=utf-8",
	"app.css":    "text/css; charset=utf-8",
}

// Files returns the page's files as served (the base topic filled in, the
// script and style linked by version), for tests and the page-weight
// figure.
func Files(base string) (map[string][]byte, error) {
	out := map[string][]byte{}
	for name := range assets {
		b, err := static.ReadFile("static/" + name)
		if err != nil {
			return nil, fmt.Errorf("web: %s is missing from the binary (run `make web`): %w", name, err)
		}
		out[name] = b
	}
	page := bytes.ReplaceAll(out["index.html"], []byte("{{BASE}}"), []byte(html.EscapeString(base)))
	// The page links its script and style by content: a phone that opens
	// the page again takes them from its cache without asking (and keeps
	// the script compiled), and a new purrd's page links new ones.
	for _, name := range []string{"app.js", "app.css"} {
		ref := []byte(`"` + name + `"`)
		if !bytes.Contains(page, ref) {
			return nil, fmt.Errorf("web: index.html does not link %s", name)
		}
		page = bytes.ReplaceAll(page, ref, []byte(`"`+name+"?v="+version(out[name])+`"`))
	}
	out["index.html"] = page
	return out, nil
}

// version names a file's content, for links and ETags.
func version(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// Listen binds the page's address; Serve serves on it. Binding first lets
// a taken port stop purrd at start rather than later in a goroutine.
func Listen(o Options) (*Server, error) {
	fs, err := Files(o.Base)
	if err != nil {
		return nil, err
	}
	s := &Server{files: map[string]*file{}, log: o.Logger}
	for name, b := range fs {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(b)
		w.Close()
		v := version(b)
		s.files[name] = &file{ctype: assets[name], plain: b, gz: z.Bytes(), version: v, etag: `"` + v + `"`}
	}
	mux := http.NewServeMux()
	mux.Handle("/mqtt", o.MQTT)
	mux.HandleFunc("/", s.serveFile)
	s.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return nil, fmt.Errorf("web: web.listen: %w", err)
	}
	s.ln = ln
	return s, nil
}

// Addr is the bound address.
func (s *Server) Addr() string { return s.ln.Addr().String() }

// Serve serves until ctx is done.
func (s *Server) Serve(ctx context.Context) error {
	errc := make(chan error, 1)
	go func() { errc <- s.srv.Serve(s.ln) }()
	select {
	case <-ctx.Done():
		sctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		s.srv.Shutdown(sctx)
		s.srv.Close() // websockets are hijacked: Shutdown does not close them
		return nil
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("web: %w", err)
	}
}

// The page loads nothing from elsewhere and may only talk to its own host.
const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

func (s *Server) serveFile(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimPrefix(r.URL.Path, "/")
	if name == "" {
		name = "index.html"
	}
	f, ok := s.files[name]
	if !ok {
		http.NotFound(w, r)
		return
	}
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	h := w.Header()
	h.Set("Content-Type", f.ctype)
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	if name != "index.html" && r.URL.Query().Get("v") == f.version {
		// Linked by its content: it never changes under this link.
		h.Set("Cache-Control", "public, max-age=31536000, immutable")
	} else {
		h.Set("Cache-Control", "no-cache") // revalidate: a new purrd brings a new page
	}
	h.Set("ETag", f.etag)
	h.Set("Vary", "Accept-Encoding")
	if match := r.Header.Get("If-None-Match"); match == f.etag {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	body := f.plain
	if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
		h.Set("Content-Encoding", "gzip")
		body = f.gz
	}
	h.Set("Content-Length", fmt.Sprint(len(body)))
	if r.Method == http.MethodHead {
		return
	}
	w.Write(body)
}

// Weight is the page's transfer size gzipped, and plain: what a phone
// downloads on first open.
func Weight(base string) (gz, plain int, err error) {
	fs, err := Files(base)
	if err != nil {
		return 0, 0, err
	}
	for _, b := range fs {
		var z bytes.Buffer
		w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
		w.Write(b)
		w.Close()
		gz += z.Len()
		plain += len(b)
	}
	return gz, plain, nil
}
