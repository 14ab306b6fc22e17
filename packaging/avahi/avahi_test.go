package avahi

import (
	"encoding/xml"
	"net"
	"os"
	"testing"

	"github.com/purrd/purrd/daemon/config"
)

type serviceGroup struct {
	Name     string `xml:"name"`
	Services []struct {
		Type string   `xml:"type"`
		Port string   `xml:"port"`
		TXT  []string `xml:"txt-record"`
	} `xml:"service"`
}

// The announcement is valid XML with both services, on the ports of the
// defaults (which the .deb opens to the LAN, see packaging/mkdeb.sh).
func TestServiceFile(t *testing.T) {
	b, err := os.ReadFile("purrd.service")
	if err != nil {
		t.Fatal(err)
	}
	var g serviceGroup
	if err := xml.Unmarshal(b, &g); err != nil {
		t.Fatalf("purrd.service: %v", err)
	}
	_, webPort, _ := net.SplitHostPort(config.DefaultWebListen)
	_, mqttPort, _ := net.SplitHostPort(config.DefaultListen)
	want := map[string]string{"_http._tcp": webPort, "_mqtt._tcp": mqttPort}
	for _, s := range g.Services {
		if p, ok := want[s.Type]; !ok || p != s.Port {
			t.Errorf("service %s on port %s; want %v", s.Type, s.Port, want)
		}
		delete(want, s.Type)
	}
	if len(want) > 0 || g.Name == "" {
		t.Errorf("missing services %v (name %q)", want, g.Name)
	}
}
