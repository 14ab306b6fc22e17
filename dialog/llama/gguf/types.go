// Package gguf reads and checks GGUF model files in pure Go.
//
// The engine (llama.cpp) can abort the whole process on a corrupt or
// unsupported file, so purrd checks every model here first: magic and
// version, an architecture the engine can run, tensor data inside the file
// (a truncated download), and the memory the model needs against what the
// board has. Writing GGUF files is for tests only and lives in gguftest.
package gguf

import "fmt"

// Magic is "GGUF" read as a little-endian uint32.
const Magic uint32 = 0x46554747

// DefaultAlignment is the tensor data alignment when general.alignment is absent.
const DefaultAlignment = 32

// ValueType is the type tag of a metadata value.
type ValueType uint32

// Metadata value types as numbered by the GGUF specification.
const (
	TypeUint8   ValueType = 0
	TypeInt8    ValueType = 1
	TypeUint16  ValueType = 2
	TypeInt16   ValueType = 3
	TypeUint32  ValueType = 4
	TypeInt32   ValueType = 5
	TypeFloat32 ValueType = 6
	TypeBool    ValueType = 7
	TypeString  ValueType = 8
	TypeArray   ValueType = 9
	TypeUint64  ValueType = 10
	TypeInt64   ValueType = 11
	TypeFloat64 ValueType = 12
)

// fixedSize is the encoded size of scalar value types; 0 for string/array.
func (t ValueType) fixedSize() int {
	switch t {
	case TypeUint8, TypeInt8, TypeBool:
		return 1
	case TypeUint16, TypeInt16:
		return 2
	case TypeUint32, TypeInt32, TypeFloat32:
		return 4
	case TypeUint64, TypeInt64, TypeFloat64:
		return 8
	}
	return 0
}

func (t ValueType) valid() bool { return t <= TypeFloat64 }

// TensorType is a ggml tensor element type.
type TensorType uint32

// Tensor types gguftest writes (the reader knows all of ggml's).
const (
	F32  TensorType = 0
	F16  TensorType = 1
	Q4_0 TensorType = 2
	Q4_1 TensorType = 3
	Q8_0 TensorType = 8
)

// typeTrait is how many elements a block holds and how many bytes it takes.
type typeTrait struct {
	name  string
	block int64
	size  int64
}

// traits mirrors ggml's type_traits table (ggml.c, ggml v0.17.4 vendored
// in ollama); removed types (4, 5, 31-33, 36-38) are absent on purpose.
var traits = map[TensorType]typeTrait{
	0: {"F32", 1, 4}, 1: {"F16", 1, 2}, 2: {"Q4_0", 32, 18}, 3: {"Q4_1", 32, 20},
	6: {"Q5_0", 32, 22}, 7: {"Q5_1", 32, 24}, 8: {"Q8_0", 32, 34}, 9: {"Q8_1", 32, 36},
	10: {"Q2_K", 256, 84}, 11: {"Q3_K", 256, 110}, 12: {"Q4_K", 256, 144},
	13: {"Q5_K", 256, 176}, 14: {"Q6_K", 256, 210}, 15: {"Q8_K", 256, 292},
	16: {"IQ2_XXS", 256, 66}, 17: {"IQ2_XS", 256, 74}, 18: {"IQ3_XXS", 256, 98},
	19: {"IQ1_S", 256, 50}, 20: {"IQ4_NL", 32, 18}, 21: {"IQ3_S", 256, 110},
	22: {"IQ2_S", 256, 82}, 23: {"IQ4_XS", 256, 136}, 24: {"I8", 1, 1},
	25: {"I16", 1, 2}, 26: {"I32", 1, 4}, 27: {"I64", 1, 8}, 28: {"F64", 1, 8},
	29: {"IQ1_M", 256, 56}, 30: {"BF16", 1, 2}, 34: {"TQ1_0", 256, 54},
	35: {"TQ2_0", 256, 66}, 39: {"MXFP4", 32, 17},
}

func (t TensorType) String() string {
	if tr, ok := traits[t]; ok {
		return tr.name
	}
	return fmt.Sprintf("type(%d)", uint32(t))
}

// Known reports whether ggml has this tensor type.
func (t TensorType) Known() bool { _, ok := traits[t]; return ok }

// ByteSize is the encoded size of a tensor of n elements of type t, or -1
// when t is unknown or n is not a whole number of blocks.
func (t TensorType) ByteSize(n int64) int64 {
	tr, ok := traits[t]
	if !ok || n < 0 || n%tr.block != 0 {
		return -1
	}
	return n / tr.block * tr.size
}
