package mqtt

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// wsListener serves MQTT over websocket for browser clients on a listener
// purrd bound itself, so a bind error stops Run instead of being logged
// later from a goroutine (as mochi's own websocket listener would).
type wsListener struct {
	id  string
	ln  net.Listener
	srv *http.Server
	log *slog.Logger
	mu  sync.Mutex
	// wrap, when set, wraps each connection before mochi reads it.
	wrap func(net.Conn) net.Conn
}

func newWSListener(id string, ln net.Listener) *wsListener {
	return &wsListener{id: id, ln: ln, srv: &http.Server{ReadHeaderTimeout: 10 * time.Second}}
}

func (w *wsListener) ID() string       { return w.id }
func (w *wsListener) Address() string  { return w.ln.Addr().String() }
func (w *wsListener) Protocol() string { return "ws" }

func (w *wsListener) Init(log *slog.Logger) error {
	w.log = log
	return nil
}

func (w *wsListener) Serve(establish listeners.EstablishFn) {
	up := websocket.Upgrader{
		Subprotocols: []string{"mqtt"},
		// Any origin: every websocket client must log in (see authHook).
		CheckOrigin: func(*http.Request) bool { return true },
	}
	w.mu.Lock()
	w.srv.Handler = http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		c, err := up.Upgrade(rw, r, nil)
		if err != nil {
			return
		}
		defer c.Close()
		var conn net.Conn = &wsConn{Conn: c.NetConn(), c: c}
		if w.wrap != nil {
			conn = w.wrap(conn)
		}
		if err := establish(w.id, conn); err != nil {
			w.log.Debug("websocket client ended", "remote", r.RemoteAddr, "err", err)
		}
	})
	w.mu.Unlock()
	if err := w.srv.Serve(w.ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		w.log.Error("websocket listener stopped", "address", w.Address(), "err", err)
	}
}

func (w *wsListener) Close(closeClients listeners.CloseFn) {
	w.mu.Lock()
	w.srv.Close()
	w.mu.Unlock()
	closeClients(w.id)
}

// wsConn carries the MQTT byte stream in binary websocket messages.
type wsConn struct {
	net.Conn
	c *websocket.Conn
	r io.Reader // the message being read, nil between messages
}

func (ws *wsConn) Read(p []byte) (int, error) {
	for {
		if ws.r == nil {
			op, r, err := ws.c.NextReader()
			if err != nil {
				return 0, err
			}
			if op != websocket.BinaryMessage {
				return 0, errors.New("mqtt: websocket: text message where MQTT needs binary")
			}
			ws.r = r
		}
		n, err := ws.r.Read(p)
		if errors.Is(err, io.EOF) {
			ws.r = nil
			if n == 0 {
				continue
			}
			err = nil
		}
		return n, err
	}
}

func (ws *wsConn) Write(p []byte) (int, error) {
	if err := ws.c.WriteMessage(websocket.BinaryMessage, p); err != nil {
		return 0, err
	}
	return len(p), nil
}
