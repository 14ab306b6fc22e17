// Package gguftest writes GGUF files for tests: a GGUF v3 writer, ggml's
// reference encoders (F32, F16, Q8_0, Q4_0), and tiny random-weight llama
// models and LoRA adapters that the real engine loads.
//
// It exists so that package gguf, which the daemon ships, holds only what
// reads and checks a model; nothing here runs on the robot. Only tests and
// the cmd/tinygguf generator may import it (dialog's TestGGUFTestOnlyInTests
// holds that). The fixtures spell the GGUF and llama.cpp names they write
// themselves rather than borrowing gguf's unexported ones, so gguf's checks
// are tested against the engine's layout, not against their own constants.
package gguftest
