package llama

import "testing"

// TestSamplingOf: what the daemon leaves out takes the defaults, and
// every sampler can be turned off over the wire although the engine's
// "off" is a zero, which the message omits.
func TestSamplingOf(t *testing.T) {
	greedy := NoTemperature
	zero := float32(0)
	hot := float32(1.3)
	for _, tc := range []struct {
		name string
		m    msg
		want sampling
	}{
		{"defaults", msg{Seed: 7},
			sampling{Temperature: 0.7, TopK: 40, TopP: 0.9, MinP: 0.05, RepeatPenalty: 1.1, RepeatLastN: 64, Seed: 7}},
		{"set", msg{Temperature: &hot, TopK: 20, TopP: 0.8, MinP: 0.1, Penalty: &Penalty{LastN: 128, Repeat: 1.3, Frequency: 0.2, Presence: 0.4}},
			sampling{Temperature: 1.3, TopK: 20, TopP: 0.8, MinP: 0.1, RepeatPenalty: 1.3, RepeatLastN: 128, FrequencyPenalty: 0.2, PresencePenalty: 0.4}},
		{"all off", msg{Temperature: &zero, TopK: Off, TopP: 1, MinP: Off, Penalty: &Penalty{LastN: Off, Repeat: 1}},
			sampling{Temperature: 0, TopK: 0, TopP: 1, MinP: 0, RepeatPenalty: 1, RepeatLastN: 0}},
		{"greedy sent raw", msg{Temperature: &greedy},
			sampling{Temperature: 0, TopK: 40, TopP: 0.9, MinP: 0.05, RepeatPenalty: 1.1, RepeatLastN: 64}},
	} {
		if got := samplingOf(tc.m); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}
