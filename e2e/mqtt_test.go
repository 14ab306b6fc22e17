//go:build e2e

package e2e

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
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
// the container's own network namespace) for up to count messages on the
// topics (one SUBSCRIBE packet for all of them).
func (c *container) subscribe(count int, topics ...string) *subscription {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*cmdTimeout)
	args := []string{"-h", "127.0.0.1", "-p", "1883", "-q", "1",
		"-i", fmt.Sprintf("e2e-sub-%d", time.Now().UnixNano()),
		"-C", fmt.Sprint(count), "-W", "120", "-F", "%r|%t|%p"}
	for _, topic := range topics {
		args = append(args, "-t", topic)
	}
	cmd := c.command(ctx, "mosquitto_sub", args...)
	s := &subscription{msgs: make(chan message, count), done: make(chan error, 1), cancel: cancel, stderr: &strings.Builder{}}
	cmd.Stderr = s.stderr
	out, err := cmd.StdoutPipe()
	if err != nil {
		c.t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		c.t.Fatalf("mosquitto_sub -t %s: %v", topics, err)
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

// online checks that robot's retained availability says "online". (The
// embedded broker only lets a client subscribe under the robot's own base
// topic, so the robot id must be known, not learnt through a wildcard.)
func (c *container) online(robot string) {
	c.t.Helper()
	s := c.subscribe(1, "purr/"+robot+"/availability")
	defer s.stop()
	m, err := s.next(30 * time.Second)
	if err != nil {
		c.t.Fatalf("purr/%s/availability: %v", robot, err)
	}
	if !m.Retained || m.Payload != "online" {
		c.t.Fatalf("purr/%s/availability: got %+v, want retained \"online\"", robot, m)
	}
}

// ping sends cmd/ping and checks the answer.
func (c *container) ping(robot string) map[string]any {
	c.t.Helper()
	return c.request(robot, "ping")
}

// request sends one cmd/<verb> and returns its response, checked for the id
// sent and status "ok". Commands are not retried (debug_stall must be sent
// once), so the subscriber must be in place first: it subscribes to the
// response and to the retained availability in one SUBSCRIBE, and the
// retained message arriving proves the subscription is active.
func (c *container) request(robot, verb string) map[string]any {
	c.t.Helper()
	avail := "purr/" + robot + "/availability"
	s := c.subscribe(2, avail, "purr/"+robot+"/response/"+verb)
	defer s.stop()
	m, err := s.next(30 * time.Second)
	if err != nil || m.Topic != avail || m.Payload != "online" {
		c.t.Fatalf("before cmd/%s: want the retained online on %s first, got %+v %v", verb, avail, m, err)
	}
	id := fmt.Sprintf("e2e-%s-%d", verb, time.Now().UnixNano())
	if err := c.publish("purr/"+robot+"/cmd/"+verb, `{"id":"`+id+`"}`); err != nil {
		c.t.Fatalf("publish cmd/%s: %v", verb, err)
	}
	m, err = s.next(30 * time.Second)
	if err != nil {
		c.t.Fatalf("response/%s: %v", verb, err)
	}
	var resp map[string]any
	if err := json.Unmarshal([]byte(m.Payload), &resp); err != nil {
		c.t.Fatalf("response/%s is not JSON: %q: %v", verb, m.Payload, err)
	}
	if resp["id"] != id {
		c.t.Fatalf("response/%s id %v, want %q: %s", verb, resp["id"], id, m.Payload)
	}
	if resp["status"] != "ok" {
		c.t.Fatalf("response/%s: status %v (want ok): %s", verb, resp["status"], m.Payload)
	}
	return resp
}
