package mqtt

import (
	"net/http/httptest"
	"strings"
	"testing"
)

// The phone page's /mqtt: MQTT over WebSocket into the embedded broker,
// logged in, with the phone's rights; anonymous connections are refused
// even from loopback.
func TestWebSocketHandler(t *testing.T) {
	e := phoneEnv(t)
	srv := httptest.NewServer(e.link.WebSocket())
	defer srv.Close()
	url := "ws://" + strings.TrimPrefix(srv.URL, "http://") + "/mqtt"
	if o, err := dialObserver(url, nil); err == nil {
		o.c.Disconnect(0)
		t.Fatal("anonymous websocket client accepted")
	}
	ph := newObserver(t, url, withUser("phone", "phone-pw"))
	ph.sub(base+"/response/#", base+"/state")
	ph.pub(base+"/cmd/ping", false, `{"id":"web"}`)
	ph.waitResponse("ping", "web")
}
