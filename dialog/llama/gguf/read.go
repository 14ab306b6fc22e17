package gguf

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// Errors a caller can test for with errors.Is.
var (
	ErrNotGGUF   = errors.New("not a GGUF file")
	ErrVersion   = errors.New("unsupported GGUF version")
	ErrCorrupt   = errors.New("corrupt GGUF header")
	ErrTruncated = errors.New("file is truncated")
)

// Limits that keep a hostile header from making the reader allocate or
// loop without bound; real models stay far below them.
const (
	maxKeyLen      = 1 << 16
	maxStringLen   = 64 << 20
	maxDims        = 8
	keepArrayItems = 64 // larger arrays are counted, not kept
)

// File is a parsed GGUF header: metadata and tensor directory, not data.
type File struct {
	Version    uint32
	KV         []KV
	Tensors    []TensorInfo
	Alignment  int64
	DataOffset int64 // where tensor data starts (aligned)
	Size       int64 // total file size as given to Read
}

// KV is one metadata pair.
type KV struct {
	Key   string
	Value Value
}

// Value holds a metadata value. Scalars are stored as uint64, int64,
// float64, bool or string; arrays as Array.
type Value struct {
	Type ValueType
	V    any
}

// Array is an array value; Items holds at most the first keepArrayItems
// elements (enough for checks, without keeping a 150k-entry vocabulary).
type Array struct {
	Elem  ValueType
	Len   uint64
	Items []any
}

// TensorInfo is one entry of the tensor directory.
type TensorInfo struct {
	Name   string
	Dims   []uint64
	Type   TensorType
	Offset uint64 // relative to DataOffset
}

// Elements is the product of the dimensions.
func (t TensorInfo) Elements() int64 {
	n := int64(1)
	for _, d := range t.Dims {
		n *= int64(d)
	}
	return n
}

// Bytes is the encoded data size, -1 for unknown types or ragged shapes.
func (t TensorInfo) Bytes() int64 { return t.Type.ByteSize(t.Elements()) }

// Get returns the value stored under key.
func (f *File) Get(key string) (Value, bool) {
	for _, kv := range f.KV {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return Value{}, false
}

// String returns a string value, "" when absent or of another type.
func (f *File) String(key string) string {
	v, _ := f.Get(key)
	s, _ := v.V.(string)
	return s
}

// Uint returns an unsigned integer value (any integer type that is not
// negative), with ok false when absent or not an integer.
func (f *File) Uint(key string) (uint64, bool) {
	v, found := f.Get(key)
	if !found {
		return 0, false
	}
	switch x := v.V.(type) {
	case uint64:
		return x, true
	case int64:
		if x >= 0 {
			return uint64(x), true
		}
	}
	return 0, false
}

// ArrayLen returns the length of an array value, ok false when absent.
func (f *File) ArrayLen(key string) (uint64, bool) {
	v, _ := f.Get(key)
	a, ok := v.V.(Array)
	return a.Len, ok
}

// reader tracks the offset and never reads past size.
type reader struct {
	r    *bufio.Reader
	pos  int64
	size int64
	buf  [8]byte
}

func (r *reader) need(n int64, what string) error {
	if n < 0 || r.pos+n > r.size {
		return fmt.Errorf("%w: %s at offset %d needs %d bytes, file has %d", ErrTruncated, what, r.pos, n, r.size)
	}
	return nil
}

func (r *reader) read(n int, what string) ([]byte, error) {
	if err := r.need(int64(n), what); err != nil {
		return nil, err
	}
	b := r.buf[:n]
	if _, err := io.ReadFull(r.r, b); err != nil {
		return nil, fmt.Errorf("%w: reading %s at offset %d: %v", ErrTruncated, what, r.pos, err)
	}
	r.pos += int64(n)
	return b, nil
}

func (r *reader) u32(what string) (uint32, error) {
	b, err := r.read(4, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint32(b), nil
}

func (r *reader) u64(what string) (uint64, error) {
	b, err := r.read(8, what)
	if err != nil {
		return 0, err
	}
	return binary.LittleEndian.Uint64(b), nil
}

func (r *reader) str(limit uint64, what string) (string, error) {
	n, err := r.u64(what + " length")
	if err != nil {
		return "", err
	}
	if n > limit {
		return "", fmt.Errorf("%w: %s at offset %d is %d bytes long (limit %d)", ErrCorrupt, what, r.pos-8, n, limit)
	}
	if err := r.need(int64(n), what); err != nil {
		return "", err
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(r.r, b); err != nil {
		return "", fmt.Errorf("%w: reading %s at offset %d: %v", ErrTruncated, what, r.pos, err)
	}
	r.pos += int64(n)
	return string(b), nil
}

func (r *reader) scalar(t ValueType, what string) (any, error) {
	if t == TypeString {
		return r.str(maxStringLen, what)
	}
	n := t.fixedSize()
	if n == 0 {
		return nil, fmt.Errorf("%w: %s has value type %d", ErrCorrupt, what, t)
	}
	b, err := r.read(n, what)
	if err != nil {
		return nil, err
	}
	switch t {
	case TypeUint8:
		return uint64(b[0]), nil
	case TypeInt8:
		return int64(int8(b[0])), nil
	case TypeBool:
		return b[0] != 0, nil
	case TypeUint16:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case TypeInt16:
		return int64(int16(binary.LittleEndian.Uint16(b))), nil
	case TypeUint32:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	case TypeInt32:
		return int64(int32(binary.LittleEndian.Uint32(b))), nil
	case TypeFloat32:
		return float64(math.Float32frombits(binary.LittleEndian.Uint32(b))), nil
	case TypeUint64:
		return binary.LittleEndian.Uint64(b), nil
	case TypeInt64:
		return int64(binary.LittleEndian.Uint64(b)), nil
	default: // TypeFloat64
		return math.Float64frombits(binary.LittleEndian.Uint64(b)), nil
	}
}

func (r *reader) value(t ValueType, what string) (Value, error) {
	if !t.valid() {
		return Value{}, fmt.Errorf("%w: %s has unknown value type %d", ErrCorrupt, what, t)
	}
	if t != TypeArray {
		v, err := r.scalar(t, what)
		return Value{Type: t, V: v}, err
	}
	et, err := r.u32(what + " element type")
	if err != nil {
		return Value{}, err
	}
	elem := ValueType(et)
	if !elem.valid() || elem == TypeArray {
		// Nested arrays exist in the spec but no model uses them and
		// llama.cpp rejects them too.
		return Value{}, fmt.Errorf("%w: %s has array element type %d", ErrCorrupt, what, et)
	}
	n, err := r.u64(what + " length")
	if err != nil {
		return Value{}, err
	}
	// Every element takes at least one byte (a string at least eight), so
	// a count beyond the rest of the file is a lie; checking first keeps a
	// forged count from driving a long loop.
	minEach := int64(elem.fixedSize())
	if elem == TypeString {
		minEach = 8
	}
	if n > uint64(r.size-r.pos)/uint64(minEach) {
		return Value{}, fmt.Errorf("%w: %s claims %d elements, more than the %d bytes left can hold", ErrTruncated, what, n, r.size-r.pos)
	}
	a := Array{Elem: elem, Len: n}
	for i := uint64(0); i < n; i++ {
		if elem == TypeString {
			s, err := r.str(maxStringLen, what)
			if err != nil {
				return Value{}, err
			}
			if i < keepArrayItems {
				a.Items = append(a.Items, s)
			}
			continue
		}
		if i >= keepArrayItems {
			// Skip the rest of a fixed-size array in one step.
			skip := int64(n-i) * minEach
			if err := r.need(skip, what); err != nil {
				return Value{}, err
			}
			if _, err := r.r.Discard(int(skip)); err != nil {
				return Value{}, fmt.Errorf("%w: skipping %s: %v", ErrTruncated, what, err)
			}
			r.pos += skip
			break
		}
		v, err := r.scalar(elem, what)
		if err != nil {
			return Value{}, err
		}
		a.Items = append(a.Items, v)
	}
	return Value{Type: TypeArray, V: a}, nil
}

// Read parses the header and tensor directory of a GGUF file of the given
// size. It does not read tensor data; CheckTensors compares the directory
// with the size.
func Read(ra io.ReaderAt, size int64) (*File, error) {
	r := &reader{r: bufio.NewReaderSize(io.NewSectionReader(ra, 0, size), 64<<10), size: size}
	magic, err := r.u32("magic")
	if err != nil {
		if size < 4 {
			return nil, fmt.Errorf("%w: %d bytes long", ErrNotGGUF, size)
		}
		return nil, err
	}
	if magic != Magic {
		return nil, fmt.Errorf("%w: magic is %q, want \"GGUF\"", ErrNotGGUF, printable(r.buf[:4]))
	}
	f := &File{Size: size, Alignment: DefaultAlignment}
	if f.Version, err = r.u32("version"); err != nil {
		return nil, err
	}
	if f.Version < 2 || f.Version > 3 {
		return nil, fmt.Errorf("%w %d (the engine reads versions 2 and 3)", ErrVersion, f.Version)
	}
	nt, err := r.u64("tensor count")
	if err != nil {
		return nil, err
	}
	nkv, err := r.u64("metadata count")
	if err != nil {
		return nil, err
	}
	// Each pair/tensor takes far more than 8 bytes: bound counts by size.
	if nkv > uint64(size)/8 || nt > uint64(size)/8 {
		return nil, fmt.Errorf("%w: header claims %d metadata pairs and %d tensors in a %d-byte file", ErrCorrupt, nkv, nt, size)
	}
	for i := uint64(0); i < nkv; i++ {
		key, err := r.str(maxKeyLen, fmt.Sprintf("metadata key #%d", i))
		if err != nil {
			return nil, err
		}
		t, err := r.u32("value type of " + key)
		if err != nil {
			return nil, err
		}
		v, err := r.value(ValueType(t), key)
		if err != nil {
			return nil, err
		}
		f.KV = append(f.KV, KV{Key: key, Value: v})
	}
	if v, ok := f.Get("general.alignment"); ok {
		a, isU := v.V.(uint64)
		if !isU || a == 0 || a&(a-1) != 0 || a > 1<<20 {
			return nil, fmt.Errorf("%w: general.alignment is %v, want a power of two", ErrCorrupt, v.V)
		}
		f.Alignment = int64(a)
	}
	for i := uint64(0); i < nt; i++ {
		name, err := r.str(maxKeyLen, fmt.Sprintf("tensor name #%d", i))
		if err != nil {
			return nil, err
		}
		nd, err := r.u32("dimension count of " + name)
		if err != nil {
			return nil, err
		}
		if nd == 0 || nd > maxDims {
			return nil, fmt.Errorf("%w: tensor %q has %d dimensions", ErrCorrupt, name, nd)
		}
		ti := TensorInfo{Name: name, Dims: make([]uint64, nd)}
		elems := uint64(1)
		for d := range ti.Dims {
			if ti.Dims[d], err = r.u64("dimension of " + name); err != nil {
				return nil, err
			}
			if ti.Dims[d] == 0 || ti.Dims[d] > 1<<40 || elems > (1<<62)/ti.Dims[d] {
				return nil, fmt.Errorf("%w: tensor %q has dimensions %v", ErrCorrupt, name, ti.Dims[:d+1])
			}
			elems *= ti.Dims[d]
		}
		t, err := r.u32("type of " + name)
		if err != nil {
			return nil, err
		}
		ti.Type = TensorType(t)
		if !ti.Type.Known() {
			return nil, fmt.Errorf("%w: tensor %q has unknown type %d", ErrCorrupt, name, t)
		}
		if ti.Offset, err = r.u64("offset of " + name); err != nil {
			return nil, err
		}
		if ti.Bytes() < 0 {
			return nil, fmt.Errorf("%w: tensor %q of type %s has %d elements, not whole blocks", ErrCorrupt, name, ti.Type, ti.Elements())
		}
		f.Tensors = append(f.Tensors, ti)
	}
	f.DataOffset = (r.pos + f.Alignment - 1) / f.Alignment * f.Alignment
	return f, nil
}

// CheckTensors verifies that every tensor lies inside the file, aligned,
// and returns the total tensor data size.
func (f *File) CheckTensors() (int64, error) {
	var total, end int64
	for _, t := range f.Tensors {
		if t.Offset > 1<<50 || int64(t.Offset)%f.Alignment != 0 {
			return 0, fmt.Errorf("%w: tensor %q has offset %d (alignment %d)", ErrCorrupt, t.Name, t.Offset, f.Alignment)
		}
		n := t.Bytes()
		total += n
		if e := f.DataOffset + int64(t.Offset) + n; e > end {
			end = e
		}
	}
	if end > f.Size {
		return 0, fmt.Errorf("%w: tensor data ends at byte %d but the file has %d bytes (%.1f%% missing)",
			ErrTruncated, end, f.Size, 100*float64(end-f.Size)/float64(end))
	}
	return total, nil
}

func printable(b []byte) string {
	out := make([]byte, len(b))
	for i, c := range b {
		if c < 0x20 || c > 0x7e {
			c = '.'
		}
		out[i] = c
	}
	return string(out)
}
