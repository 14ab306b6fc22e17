package gguf

import (
	"errors"
	"fmt"
	"math"
	"os"
	"sort"
	"strings"
)

// Errors of the adapter check a caller can test for with errors.Is.
var (
	ErrNotAdapter = errors.New("not a LoRA adapter")
	ErrMismatch   = errors.New("adapter does not fit the model")
)

// Suffixes of the two halves of a LoRA weight, appended to the name of the
// base tensor they adapt (llama.cpp, llama-adapter.cpp).
const (
	loraA = ".lora_a"
	loraB = ".lora_b"
	// llama.cpp skips adapted norm vectors rather than refusing them.
	normSuffix = "_norm.weight"
	// The token embedding is looked up, not multiplied: its halves are
	// stored the other way round (llm_build_inp_embd).
	tokenEmbd = "token_embd.weight"
)

// AdapterInfo is what the check learnt about a LoRA adapter.
type AdapterInfo struct {
	Path         string
	Size         int64
	Architecture string
	Name         string  // general.name, may be ""
	Alpha        float64 // adapter.lora.alpha
	Rank         int     // the largest rank of its pairs (they usually share one)
	Pairs        int     // base tensors it adapts
	Ignored      int     // norm tensors the engine skips
	TensorBytes  int64
}

// AdapterError says which adapter failed which check; Unwrap gives the
// kind (ErrNotAdapter, ErrMismatch, ErrTruncated, ...).
type AdapterError struct {
	Path string
	Err  error
}

func (e *AdapterError) Error() string {
	return "gguf: adapter " + e.Path + ": " + e.Err.Error()
}

func (e *AdapterError) Unwrap() error { return e.Err }

// CheckAdapter reads the LoRA adapter at path and the model at model and
// decides whether the engine may apply one to the other. llama.cpp reads
// some keys with asserts that abort the process on a wrong type, and it
// checks shapes only after allocating; checking here first turns a bad
// adapter into an error naming the file. Every refusal is an *AdapterError.
func CheckAdapter(path, model string) (*AdapterInfo, error) {
	fail := func(err error) (*AdapterInfo, error) { return nil, &AdapterError{Path: path, Err: err} }
	if path == "" {
		return fail(errors.New("no adapter path given (brain.adapter)"))
	}
	f, err := ReadFile(path)
	if err != nil {
		return fail(err)
	}
	base, err := ReadFile(model)
	if err != nil {
		return fail(fmt.Errorf("reading the base model: %w", err))
	}
	info, err := DescribeAdapter(f, base)
	if err != nil {
		return fail(err)
	}
	info.Path = path
	return info, nil
}

// ReadFile parses the header of the GGUF file at path (Read on a regular
// file): its keys and tensor directory, not the tensor data.
func ReadFile(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	st, err := fh.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file (%s)", ErrNotGGUF, path, st.Mode().Type())
	}
	return Read(fh, st.Size())
}

// stringKey returns a string value, with an error when the key holds
// another type: llama.cpp's gguf_get_val_str asserts the type.
func stringKey(f *File, key string) (string, error) {
	v, ok := f.Get(key)
	if !ok {
		return "", nil
	}
	s, isStr := v.V.(string)
	if !isStr {
		return "", fmt.Errorf("%w: %s has value type %d, want a string", ErrNotAdapter, key, v.Type)
	}
	return s, nil
}

// DescribeAdapter checks a parsed adapter header against the header of
// the base model, the way llama.cpp's llama_adapter_lora_init will, and
// summarises it.
func DescribeAdapter(f, base *File) (*AdapterInfo, error) {
	info := &AdapterInfo{Size: f.Size}
	typ, err := stringKey(f, "general.type")
	if err != nil {
		return nil, err
	}
	if typ != "adapter" {
		return nil, fmt.Errorf("%w: general.type is %q, want \"adapter\" (is this a model rather than an adapter?)", ErrNotAdapter, typ)
	}
	atyp, err := stringKey(f, "adapter.type")
	if err != nil {
		return nil, err
	}
	if atyp != "lora" {
		return nil, fmt.Errorf("%w: adapter.type is %q, want \"lora\"", ErrNotAdapter, atyp)
	}
	if info.Architecture, err = stringKey(f, "general.architecture"); err != nil {
		return nil, err
	}
	if info.Name, err = stringKey(f, "general.name"); err != nil {
		return nil, err
	}
	alpha, ok := f.Get("adapter.lora.alpha")
	if !ok {
		return nil, fmt.Errorf("%w: adapter.lora.alpha is missing", ErrNotAdapter)
	}
	// gguf_get_val_f32 asserts the type, so a float64 or integer alpha
	// would abort the engine.
	a, isF := alpha.V.(float64)
	if alpha.Type != TypeFloat32 || !isF {
		return nil, fmt.Errorf("%w: adapter.lora.alpha has value type %d, want float32", ErrNotAdapter, alpha.Type)
	}
	if math.IsNaN(a) || math.IsInf(a, 0) || a < 0 {
		return nil, fmt.Errorf("%w: adapter.lora.alpha is %v, want a finite number of at least 0", ErrNotAdapter, a)
	}
	info.Alpha = a
	if v, ok := f.Get("adapter.alora_invocation_tokens"); ok {
		if arr, isArr := v.V.(Array); !isArr || arr.Elem != TypeUint32 {
			return nil, fmt.Errorf("%w: adapter.alora_invocation_tokens must be an array of uint32", ErrNotAdapter)
		}
	}
	baseArch := base.String("general.architecture")
	if info.Architecture != baseArch {
		return nil, fmt.Errorf("%w: adapter is for architecture %q, the model is %q", ErrMismatch, info.Architecture, baseArch)
	}
	if info.TensorBytes, err = f.CheckTensors(); err != nil {
		return nil, err
	}
	pairs, err := pairTensors(f.Tensors)
	if err != nil {
		return nil, err
	}
	info.Ignored = len(f.Tensors) - 2*len(pairs)
	if len(pairs) == 0 {
		return nil, fmt.Errorf("%w: no %s/%s tensor pairs", ErrNotAdapter, loraA, loraB)
	}
	baseTensors := make(map[string]TensorInfo, len(base.Tensors))
	for _, t := range base.Tensors {
		baseTensors[t.Name] = t
	}
	names := make([]string, 0, len(pairs))
	for n := range pairs {
		names = append(names, n)
	}
	sort.Strings(names) // the first problem reported is the same every run
	for _, name := range names {
		p := pairs[name]
		w, ok := baseTensors[name]
		if !ok {
			return nil, fmt.Errorf("%w: %s adapts tensor %q, which the model does not have", ErrMismatch, p.a.Name, name)
		}
		r, err := pairRank(name, p.a, p.b, w)
		if err != nil {
			return nil, err
		}
		info.Rank = max(info.Rank, r)
	}
	info.Pairs = len(pairs)
	return info, nil
}

type pair struct{ a, b TensorInfo }

// pairTensors groups lora_a and lora_b halves by the base tensor they
// adapt; a half without its partner, a repeated name or a tensor of any
// other kind is refused (llama.cpp throws for each).
func pairTensors(ts []TensorInfo) (map[string]*pair, error) {
	pairs := map[string]*pair{}
	seen := map[string]bool{}
	for _, t := range ts {
		if seen[t.Name] {
			return nil, fmt.Errorf("%w: tensor %q appears twice", ErrCorrupt, t.Name)
		}
		seen[t.Name] = true
		var name string
		var isA bool
		switch {
		case strings.HasSuffix(t.Name, loraA):
			name, isA = strings.TrimSuffix(t.Name, loraA), true
		case strings.HasSuffix(t.Name, loraB):
			name = strings.TrimSuffix(t.Name, loraB)
		case strings.HasSuffix(t.Name, normSuffix):
			continue
		default:
			return nil, fmt.Errorf("%w: tensor %q is neither <base tensor>%s nor <base tensor>%s", ErrNotAdapter, t.Name, loraA, loraB)
		}
		p := pairs[name]
		if p == nil {
			p = &pair{}
			pairs[name] = p
		}
		if isA {
			p.a = t
		} else {
			p.b = t
		}
	}
	for name, p := range pairs {
		if p.a.Name == "" {
			return nil, fmt.Errorf("%w: %s%s has no %s partner", ErrNotAdapter, name, loraB, loraA)
		}
		if p.b.Name == "" {
			return nil, fmt.Errorf("%w: %s%s has no %s partner", ErrNotAdapter, name, loraA, loraB)
		}
	}
	return pairs, nil
}

// matrix returns the first two ggml dimensions (ne[0], ne[1]) of a tensor
// that is a matrix: dimensions past the second must be 1.
func matrix(t TensorInfo) (ne0, ne1 uint64, ok bool) {
	if len(t.Dims) == 0 {
		return 0, 0, false
	}
	ne0, ne1 = t.Dims[0], 1
	if len(t.Dims) > 1 {
		ne1 = t.Dims[1]
	}
	for _, d := range t.Dims[min(2, len(t.Dims)):] {
		if d != 1 {
			return 0, 0, false
		}
	}
	return ne0, ne1, true
}

// pairRank checks the shapes of one pair against the base weight w and
// returns the rank. In ggml order a weight W is ne=[n_in, n_out]; lora_a
// is [n_in, r] and lora_b is [r, n_out]. For the token embedding
// (ne=[n_embd, n_vocab]) lora_a is [r, n_vocab] and lora_b [r, n_embd].
func pairRank(name string, a, b, w TensorInfo) (int, error) {
	a0, a1, okA := matrix(a)
	b0, b1, okB := matrix(b)
	if !okA || !okB {
		return 0, fmt.Errorf("%w: %s has shapes %v and %v; both halves must be matrices", ErrMismatch, name, a.Dims, b.Dims)
	}
	if len(w.Dims) < 2 {
		return 0, fmt.Errorf("%w: %s adapts %q of shape %v, which is not a matrix", ErrMismatch, a.Name, name, w.Dims)
	}
	w0, w1 := w.Dims[0], w.Dims[1]
	wrong := func(want string) error {
		return fmt.Errorf("%w: %s: lora_a is %v and lora_b %v but the model's tensor is %v (want %s)",
			ErrMismatch, name, a.Dims, b.Dims, w.Dims, want)
	}
	var r uint64
	if strings.HasSuffix(name, tokenEmbd) {
		if a1 != w1 || b1 != w0 || a0 != b0 {
			return 0, wrong(fmt.Sprintf("lora_a [r %d] and lora_b [r %d]", w1, w0))
		}
		r = a0
	} else {
		if a0 != w0 || b1 != w1 || a1 != b0 {
			return 0, wrong(fmt.Sprintf("lora_a [%d r] and lora_b [r %d], the same r", w0, w1))
		}
		r = a1
	}
	if r > 1<<20 {
		return 0, fmt.Errorf("%w: %s has rank %d", ErrCorrupt, name, r)
	}
	return int(r), nil
}
