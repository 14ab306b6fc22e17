package mqtt

import (
	"log/slog"
	"net"
	"net/http"
	"sync"

	"github.com/gorilla/websocket"
	"github.com/mochi-mqtt/server/v2/listeners"
)

// webListenerID names connections that came in through the phone page's
// web server (WebSocket on its /mqtt): like the websocket listener, every
// one of them must log in.
const webListenerID = "web"

// bridgeListener is a mochi listener without a socket of its own: the web
// server (daemon/web) accepts the HTTP request and hands the upgraded
// connection to the broker through it, so the page and its MQTT share one
// origin and one port.
type bridgeListener struct {
	mu        sync.Mutex
	establish listeners.EstablishFn
	done      chan struct{}
	closed    bool
}

func newBridgeListener() *bridgeListener { return &bridgeListener{done: make(chan struct{})} }

func (b *bridgeListener) ID() string              { return webListenerID }
func (b *bridgeListener) Address() string         { return "phone page /mqtt" }
func (b *bridgeListener) Protocol() string        { return "ws" }
func (b *bridgeListener) Init(*slog.Logger) error { return nil }
func (b *bridgeListener) Serve(e listeners.EstablishFn) {
	b.mu.Lock()
	b.establish = e
	b.mu.Unlock()
	<-b.done
}

func (b *bridgeListener) Close(closeClients listeners.CloseFn) {
	b.mu.Lock()
	if !b.closed {
		b.closed = true
		close(b.done)
	}
	b.mu.Unlock()
	closeClients(webListenerID)
}

func (b *bridgeListener) establisher() listeners.EstablishFn {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	return b.establish
}

// WebSocket is the handler for MQTT over WebSocket into the embedded
// broker (subprotocol "mqtt", binary frames), for the phone page's
// /mqtt. Every connection must log in, whatever address it comes from:
// any web page a browser shows can open a websocket to this machine. It
// answers 503 while no embedded broker runs (an external broker is
// configured, or purrd is starting or stopping).
func (l *Link) WebSocket() http.Handler {
	up := websocket.Upgrader{
		Subprotocols: []string{"mqtt"},
		// Any origin: every connection must log in (authHook).
		CheckOrigin: func(*http.Request) bool { return true },
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		l.mu.Lock()
		b := l.broker
		l.mu.Unlock()
		var establish listeners.EstablishFn
		if b != nil && b.web != nil {
			establish = b.web.establisher()
		}
		if establish == nil {
			http.Error(w, "the cat's MQTT broker is not running", http.StatusServiceUnavailable)
			return
		}
		c, err := up.Upgrade(w, r, nil)
		if err != nil {
			return // Upgrade has answered
		}
		defer c.Close()
		var conn net.Conn = &wsConn{Conn: c.NetConn(), c: c}
		conn = b.hook.big.wrap(conn)
		if err := establish(webListenerID, conn); err != nil {
			l.log.Debug("phone page websocket ended", "remote", r.RemoteAddr, "err", err)
		}
	})
}
