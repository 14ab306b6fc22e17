package llama

import (
	"math"
	"math/rand/v2"
	"testing"
)

// expNonPositive is math.Exp where logProb uses it: every x <= 0 a
// logit difference can be, down to where both underflow to 0.
func TestExpNonPositive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, -1e-12, -0.5 * math.Ln2, -math.Ln2, -1, -10, -87.3, -700, -701, -1e9, math.Inf(-1)}
	for range 100000 {
		xs = append(xs, -rng.Float64()*750)
	}
	for _, x := range xs {
		got, want := expNonPositive(x), math.Exp(x)
		if want == 0 || x < -700 {
			if got > 1e-300 {
				t.Fatalf("exp(%g) = %g, want about 0", x, got)
			}
			continue
		}
		if d := math.Abs(got-want) / want; d > 1e-8 {
			t.Fatalf("exp(%g) = %g, want %g (relative error %g)", x, got, want, d)
		}
	}
}

// logProb is log softmax: the log-probabilities of all tokens add up to
// one, and a token twice as likely (logit + ln 2) scores ln 2 more.
func TestLogProb(t *testing.T) {
	logits := []float32{1, 2, 2 + float32(math.Ln2), -30, 0.5}
	sum := 0.0
	for tok := range logits {
		sum += math.Exp(logProb(logits, tok))
	}
	if math.Abs(sum-1) > 1e-9 {
		t.Errorf("probabilities add up to %g", sum)
	}
	if d := logProb(logits, 2) - logProb(logits, 1); math.Abs(d-math.Ln2) > 1e-6 {
		t.Errorf("a token twice as likely scores %g more, want ln 2", d)
	}
	if lp := logProb(logits, len(logits)); !math.IsInf(lp, -1) {
		t.Errorf("a token outside the vocabulary scores %g, want -Inf", lp)
	}
}

// BenchmarkLogProb is one token's log-probability over Gemma 3's
// vocabulary; BenchmarkLogProbMathExp the same with math.Exp, the floor.
func BenchmarkLogProb(b *testing.B) {
	l := make([]float32, 262144) // Gemma 3's vocabulary
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range l {
		l[i] = float32(rng.NormFloat64() * 3)
	}
	for b.Loop() {
		_ = logProb(l, 5)
	}
}

func BenchmarkLogProbMathExp(b *testing.B) {
	l := make([]float32, 262144)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range l {
		l[i] = float32(rng.NormFloat64() * 3)
	}
	for b.Loop() {
		top := l[0]
		for _, v := range l {
			top = max(top, v)
		}
		sum := 0.0
		for _, v := range l {
			sum += math.Exp(float64(v - top))
		}
		_ = float64(l[5]-top) - math.Log(sum)
	}
}
