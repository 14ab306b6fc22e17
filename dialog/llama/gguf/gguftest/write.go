package gguftest

import (
	"bufio"
	"encoding/binary"
	"fmt"
	"io"
	"math"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Writer assembles a GGUF v3 file: metadata pairs and tensors, written in
// the order they were added.
type Writer struct {
	Alignment int64 // 0 means gguf.DefaultAlignment
	kv        []gguf.KV
	tensors   []wtensor
}

type wtensor struct {
	info gguf.TensorInfo
	data []byte
}

// Add appends a metadata pair. Supported Go values: uint8, uint32, int32,
// uint64, float32, bool, string, []string, []float32, []int32.
func (w *Writer) Add(key string, v any) {
	w.kv = append(w.kv, gguf.KV{Key: key, Value: gguf.Value{V: v}})
}

// AddTensor appends a tensor; data must already be encoded as typ.
func (w *Writer) AddTensor(name string, typ gguf.TensorType, dims []uint64, data []byte) error {
	ti := gguf.TensorInfo{Name: name, Dims: dims, Type: typ}
	if n := ti.Bytes(); n != int64(len(data)) {
		return fmt.Errorf("gguftest: tensor %s %v of %s needs %d bytes, got %d", name, dims, typ, n, len(data))
	}
	w.tensors = append(w.tensors, wtensor{info: ti, data: data})
	return nil
}

type cw struct {
	w   *bufio.Writer
	n   int64
	err error
}

func (c *cw) bytes(b []byte) {
	if c.err != nil {
		return
	}
	var k int
	k, c.err = c.w.Write(b)
	c.n += int64(k)
}

func (c *cw) u32(v uint32) { c.bytes(binary.LittleEndian.AppendUint32(nil, v)) }
func (c *cw) u64(v uint64) { c.bytes(binary.LittleEndian.AppendUint64(nil, v)) }
func (c *cw) str(s string) { c.u64(uint64(len(s))); c.bytes([]byte(s)) }

func (c *cw) value(key string, v any) {
	switch x := v.(type) {
	case uint8:
		c.u32(uint32(gguf.TypeUint8))
		c.bytes([]byte{x})
	case uint32:
		c.u32(uint32(gguf.TypeUint32))
		c.u32(x)
	case int32:
		c.u32(uint32(gguf.TypeInt32))
		c.u32(uint32(x))
	case uint64:
		c.u32(uint32(gguf.TypeUint64))
		c.u64(x)
	case float32:
		c.u32(uint32(gguf.TypeFloat32))
		c.u32(math.Float32bits(x))
	case bool:
		c.u32(uint32(gguf.TypeBool))
		b := byte(0)
		if x {
			b = 1
		}
		c.bytes([]byte{b})
	case string:
		c.u32(uint32(gguf.TypeString))
		c.str(x)
	case []string:
		c.u32(uint32(gguf.TypeArray))
		c.u32(uint32(gguf.TypeString))
		c.u64(uint64(len(x)))
		for _, s := range x {
			c.str(s)
		}
	case []float32:
		c.u32(uint32(gguf.TypeArray))
		c.u32(uint32(gguf.TypeFloat32))
		c.u64(uint64(len(x)))
		for _, f := range x {
			c.u32(math.Float32bits(f))
		}
	case []int32:
		c.u32(uint32(gguf.TypeArray))
		c.u32(uint32(gguf.TypeInt32))
		c.u64(uint64(len(x)))
		for _, i := range x {
			c.u32(uint32(i))
		}
	default:
		if c.err == nil {
			c.err = fmt.Errorf("gguftest: metadata %s: unsupported Go type %T", key, v)
		}
	}
}

func (c *cw) pad(align int64) {
	if r := c.n % align; r != 0 {
		c.bytes(make([]byte, align-r))
	}
}

// WriteTo writes the whole file.
func (w *Writer) WriteTo(out io.Writer) (int64, error) {
	align := w.Alignment
	if align == 0 {
		align = gguf.DefaultAlignment
	}
	c := &cw{w: bufio.NewWriterSize(out, 256<<10)}
	c.u32(gguf.Magic)
	c.u32(3)
	c.u64(uint64(len(w.tensors)))
	c.u64(uint64(len(w.kv)))
	for _, kv := range w.kv {
		c.str(kv.Key)
		c.value(kv.Key, kv.Value.V)
	}
	var off int64
	for _, t := range w.tensors {
		c.str(t.info.Name)
		c.u32(uint32(len(t.info.Dims)))
		for _, d := range t.info.Dims {
			c.u64(d)
		}
		c.u32(uint32(t.info.Type))
		c.u64(uint64(off))
		off += (int64(len(t.data)) + align - 1) / align * align
	}
	c.pad(align)
	for _, t := range w.tensors {
		c.bytes(t.data)
		c.pad(align)
	}
	if c.err == nil {
		c.err = c.w.Flush()
	}
	if c.err != nil {
		return c.n, fmt.Errorf("gguftest: writing: %w", c.err)
	}
	return c.n, nil
}
