//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
)

// message is one line printed by mosquitto_sub -F '%r|%t|%p'.
type message struct {
	Retained bool
	Topic    string
	Payload  string
}

// subscription is a mosquitto_sub running inside the container; its messages
// arrive on a channel as they are printed.
type subscription struct {
	msgs   chan message
	done   chan error
	cancel context.CancelFunc
	stderr *strings.Builder
}

// subscribe starts mosquitto_sub on the embedded broker (127.0.0.1:1883 in
// the container's own network namespace) for up to count messages.
func (c *container) subscribe(topic string, count int) *subscription {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*cmdTimeout)
	cmd := c.command(ctx, "mosquitto_sub", "-h", "127.0.0.1", "-p", "1883", "-q", "1",
		"-i", fmt.Sprintf("e2e-sub-%d", time.Now().UnixNano()),
		"-t", topic, "-C", fmt.Sprint(count), "-W", "120", "-F", "%r|%t|%p")
	s := &subscription{msgs: make(chan message, count), done: make(chan error, 1), cancel: cancel, stderr: &strings.Builder{}}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("mosquitto_sub -t %s: %v", topic, err)
	}
	c.t.Cleanup(s.stop)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.SplitN(sc.Text(), "|", 3)
			if len(f) != 3 {
				continue
			}
			s.msgs <- message{Retained: f[0] == "1", Topic: f[1], Payload: f[2]}
		}
		close(s.msgs)
		s.done <- cmd.Wait()
	}()
	return s
}

// next waits for the next message.
func (s *subscription) next(timeout time.Duration) (message, error) {
	select {
	case m, ok := <-s.msgs:
		if !ok {
			return message{}, fmt.Errorf("mosquitto_sub ended without a message: %v %s", <-s.done, s.stderr.String())
		}
		return m, nil
	case <-time.After(timeout):
		return message{}, fmt.Errorf("no message within %v (mosquitto_sub stderr: %q)", timeout, s.stderr.String())
	}
}

func (s *subscription) stop() { s.cancel() }

// publish sends one (non-retained, QoS 1) message from inside the container.
func (c *container) publish(topic, payload string) error {
	_, err := c.run("mosquitto_pub", "-h", "127.0.0.1", "-p", "1883", "-q", "1", "-t", topic, "-m", payload)
	return err
}

// robotFromAvailability learns the robot id from the retained availability
// message and checks that it is "online".
func (c *container) robotFromAvailability() string {
	c.t.Helper()
	s := c.subscribe("purr/+/availability", 1)
	defer s.stop()
	m, err := s.next(30 * time.Second)
	if err != nil {
		c.t.Fatalf("availability: %v", err)
	}
	if !m.Retained || m.Payload != "online" {
		c.t.Fatalf("availability: got %+v, want retained \"online\"", m)
	}
	parts := strings.Split(m.Topic, "/")
	if len(parts) != 3 {
		c.t.Fatalf("availability topic %q is not purr/<robot>/availability", m.Topic)
	}
	return parts[1]
}

// ping sends cmd/ping until a response arrives (the first publish can beat
// the subscription) and returns the decoded response.
func (c *container) ping(robot string) map[string]any {
	c.t.Helper()
	s := c.subscribe("purr/"+robot+"/response/ping", 1)
	defer s.stop()
	var sent []string
	for i := range 20 {
		id := fmt.Sprintf("e2e-ping-%d-%d", time.Now().UnixNano(), i)
		sent = append(sent, id)
		if err := c.publish("purr/"+robot+"/cmd/ping", `{"id":"`+id+`"}`); err != nil {
			c.t.Fatalf("publish ping: %v", err)
		}
		m, err := s.next(time.Second)
		if err != nil {
			continue
		}
		var resp map[string]any
		if err := json.Unmarshal([]byte(m.Payload), &resp); err != nil {
			c.t.Fatalf("response/ping is not JSON: %q: %v", m.Payload, err)
		}
		if got, _ := resp["id"].(string); !slices.Contains(sent, got) {
			c.t.Fatalf("response/ping id %q is none of the ids sent %q", got, sent)
		}
		if resp["status"] != "ok" {
			c.t.Fatalf("response/ping status: %v (want ok): %s", resp["status"], m.Payload)
		}
		return resp
	}
	c.t.Fatalf("no response/ping after %d pings", len(sent))
	return nil
}
