package gguftest

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/purrd/purrd/dialog/llama/gguf"
)

// Encode converts float32 values to the given tensor type, the way ggml's
// reference quantizers do (quantize_row_*_ref), so the engine reads back
// what was meant.
func Encode(typ gguf.TensorType, x []float32) ([]byte, error) {
	switch typ {
	case gguf.F32:
		out := make([]byte, 0, 4*len(x))
		for _, v := range x {
			out = binary.LittleEndian.AppendUint32(out, math.Float32bits(v))
		}
		return out, nil
	case gguf.F16:
		out := make([]byte, 0, 2*len(x))
		for _, v := range x {
			out = binary.LittleEndian.AppendUint16(out, f16(v))
		}
		return out, nil
	case gguf.Q8_0:
		return blocks(x, 34, func(out []byte, b []float32) {
			amax := float32(0)
			for _, v := range b {
				amax = max(amax, float32(math.Abs(float64(v))))
			}
			d := amax / 127
			id := float32(0)
			if d != 0 {
				id = 1 / d
			}
			binary.LittleEndian.PutUint16(out, f16(d))
			for j, v := range b {
				out[2+j] = byte(int8(math.Round(float64(v * id))))
			}
		})
	case gguf.Q4_0:
		return blocks(x, 18, func(out []byte, b []float32) {
			amax, mx := float32(0), float32(0)
			for _, v := range b {
				if a := float32(math.Abs(float64(v))); a > amax {
					amax, mx = a, v
				}
			}
			d := mx / -8
			id := float32(0)
			if d != 0 {
				id = 1 / d
			}
			binary.LittleEndian.PutUint16(out, f16(d))
			for j := range 16 {
				q0 := min(15, int8(b[j]*id+8.5))
				q1 := min(15, int8(b[j+16]*id+8.5))
				out[2+j] = byte(q0) | byte(q1)<<4
			}
		})
	}
	return nil, fmt.Errorf("gguftest: encoding to %s is not supported", typ)
}

func blocks(x []float32, size int, f func(out []byte, b []float32)) ([]byte, error) {
	if len(x)%32 != 0 {
		return nil, fmt.Errorf("gguftest: %d values are not whole blocks of 32", len(x))
	}
	out := make([]byte, len(x)/32*size)
	for i := 0; i < len(x)/32; i++ {
		f(out[i*size:(i+1)*size], x[i*32:(i+1)*32])
	}
	return out, nil
}

// f16 converts to IEEE half precision with round-to-nearest-even.
func f16(f float32) uint16 {
	b := math.Float32bits(f)
	sign := uint16(b>>16) & 0x8000
	exp := int32(b>>23&0xff) - 127 + 15
	mant := b & 0x7fffff
	switch {
	case b&0x7fffffff == 0:
		return sign
	case exp >= 31: // overflow, inf, nan
		if b>>23&0xff == 0xff && mant != 0 {
			return sign | 0x7e00
		}
		return sign | 0x7c00
	case exp <= 0: // subnormal
		if exp < -10 {
			return sign
		}
		mant |= 0x800000
		shift := uint32(14 - exp)
		h := mant >> shift
		rem := mant & (1<<shift - 1)
		half := uint32(1) << (shift - 1)
		if rem > half || (rem == half && h&1 == 1) {
			h++
		}
		return sign | uint16(h)
	}
	h := uint32(exp)<<10 | mant>>13
	rem := mant & 0x1fff
	if rem > 0x1000 || (rem == 0x1000 && h&1 == 1) {
		h++ // may carry into the exponent, which is still correct
	}
	return sign | uint16(h)
}
