package daemon

import (
	"testing"

	"github.com/purrd/purrd/daemon/config"
	"github.com/purrd/purrd/dialog/llama"
)

// TestSetSampling: brain.sampling reaches llama.Options, and a configured
// 0 that means greedy or off is not mistaken for "the default".
func TestSetSampling(t *testing.T) {
	for _, tc := range []struct {
		name string
		s    config.Sampling
		want llama.Options
	}{
		{"defaults", config.Default("cat").Brain.Sampling,
			llama.Options{Temperature: 0.5, TopK: 40, TopP: 0.9, MinP: 0.1, Penalty: llama.Penalty{LastN: 64, Repeat: 1.1}}},
		{"greedy, samplers off", config.Sampling{TopP: 1, RepeatPenalty: 1},
			llama.Options{Temperature: llama.NoTemperature, TopK: llama.Off, TopP: 1, MinP: llama.Off, Penalty: llama.Penalty{LastN: llama.Off, Repeat: 1}}},
		{"penalties", config.Sampling{Temperature: 1.2, TopK: 5, TopP: 0.5, MinP: 0.2, RepeatPenalty: 1.3, RepeatLastN: 256, FrequencyPenalty: 0.5, PresencePenalty: 1.5},
			llama.Options{Temperature: 1.2, TopK: 5, TopP: 0.5, MinP: 0.2, Penalty: llama.Penalty{LastN: 256, Repeat: 1.3, Frequency: 0.5, Presence: 1.5}}},
	} {
		var got llama.Options
		setSampling(&got, tc.s)
		if got.Temperature != tc.want.Temperature || got.TopK != tc.want.TopK || got.TopP != tc.want.TopP ||
			got.MinP != tc.want.MinP || got.Penalty != tc.want.Penalty {
			t.Errorf("%s: temp %g top_k %d top_p %g min_p %g penalty %+v; want temp %g top_k %d top_p %g min_p %g penalty %+v", tc.name,
				got.Temperature, got.TopK, got.TopP, got.MinP, got.Penalty,
				tc.want.Temperature, tc.want.TopK, tc.want.TopP, tc.want.MinP, tc.want.Penalty)
		}
	}
}
