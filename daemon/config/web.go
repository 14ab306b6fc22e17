package config

// Web is the phone page purrd serves (daemon/web): the page itself, and
// MQTT over WebSocket on /mqtt for it, into the embedded broker.
type Web struct {
	// Listen is host:port; "" turns the page off. Default 127.0.0.1:8080
	// (this machine only). Beyond loopback every MQTT connection still
	// logs in: the page with the phone user that `purrd pair` shows.
	Listen string `yaml:"listen"`
}

// DefaultWebListen keeps the page on this machine until the config opens it.
const DefaultWebListen = "127.0.0.1:8080"

func webDefaults(c *Config, d *decoder) {
	if !d.has("web.listen") {
		c.Web.Listen = DefaultWebListen
	}
}

func validateWeb(c *Config, d *decoder) {
	w := &c.Web
	if w.Listen == "" {
		return
	}
	open, ok := d.listenAddr("web.listen", w.Listen)
	if !ok {
		return
	}
	if c.MQTT.Broker != "" && open {
		d.at("web.listen", "the phone page talks to the embedded broker; with mqtt.broker set, serve it on loopback or turn it off (\"\")")
	}
	if w.Listen == c.MQTT.Embedded.Listen || w.Listen == c.MQTT.Embedded.Websocket {
		d.at("web.listen", "%s is also an mqtt.embedded listener; use another port", w.Listen)
	}
}
