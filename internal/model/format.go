package model

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"math"
)

// The model file format, little-endian throughout:
//
//	magic    "msgfmodl" (8 bytes)
//	version  uint16 (FormatVersion)
//	features uint16 (FeatureVersion of the extraction it was trained with)
//	bits     uint8  (the table has 1<<bits buckets), then 3 zero bytes
//	bias     2 × float32 (spam, fraud)
//	info     uint32 length + UTF-8 text (the training recipe)
//	weights  (1<<bits) × 2 × float32, bucket-major
//	crc      uint32, CRC-32 (IEEE) of every byte before it
//
// A hand-written format rather than gob: it is versioned, checked and
// readable from any language.
const FormatVersion = 1

const magic = "msgfmodl"

// Table sizes a file may declare: a few KB up to 16M buckets (128 MB).
const (
	minBits = 4
	maxBits = 24
)

// ErrCorrupt is returned when a model file is truncated, altered or not a
// model file at all.
var ErrCorrupt = errors.New("model: corrupt model file")

// ErrClass is returned by ParseClass for an unknown label.
var ErrClass = errors.New("model: class must be ham, spam or fraud")

// VersionError is returned for a model file written in another format
// version or for another feature extraction: its weights cannot be used.
type VersionError struct {
	Format, Features int // the file's
}

func (e *VersionError) Error() string {
	return fmt.Sprintf("model: file has format %d, features %d; this build reads format %d, features %d",
		e.Format, e.Features, FormatVersion, FeatureVersion)
}

const headerLen = 8 + 2 + 2 + 4 + 8 + 4

// MarshalBinary encodes m in the model file format.
func (m *Model) MarshalBinary() ([]byte, error) {
	out := make([]byte, 0, headerLen+len(m.info)+4*len(m.w)+4)
	out = append(out, magic...)
	out = binary.LittleEndian.AppendUint16(out, FormatVersion)
	out = binary.LittleEndian.AppendUint16(out, FeatureVersion)
	out = append(out, m.bits, 0, 0, 0)
	out = binary.LittleEndian.AppendUint32(out, math.Float32bits(m.bias[0]))
	out = binary.LittleEndian.AppendUint32(out, math.Float32bits(m.bias[1]))
	out = binary.LittleEndian.AppendUint32(out, uint32(len(m.info)))
	out = append(out, m.info...)
	for _, w := range m.w {
		out = binary.LittleEndian.AppendUint32(out, math.Float32bits(w))
	}
	return binary.LittleEndian.AppendUint32(out, crc32.ChecksumIEEE(out)), nil
}

// WriteTo writes m in the model file format.
func (m *Model) WriteTo(w io.Writer) (int64, error) {
	b, _ := m.MarshalBinary()
	n, err := w.Write(b)
	return int64(n), err
}

// Load reads a model file from r.
func Load(r io.Reader) (*Model, error) {
	b, err := io.ReadAll(io.LimitReader(r, headerLen+1<<20+8<<maxBits+4+1))
	if err != nil {
		return nil, fmt.Errorf("model: read: %w", err)
	}
	return Parse(b)
}

// Parse decodes a model file. The weights are copied, so b may be reused.
func Parse(b []byte) (*Model, error) {
	if len(b) < headerLen+4 || !bytes.Equal(b[:8], []byte(magic)) {
		return nil, fmt.Errorf("%w: not a model file", ErrCorrupt)
	}
	le := binary.LittleEndian
	if f, x := int(le.Uint16(b[8:])), int(le.Uint16(b[10:])); f != FormatVersion || x != FeatureVersion {
		return nil, &VersionError{Format: f, Features: x}
	}
	body, sum := b[:len(b)-4], le.Uint32(b[len(b)-4:])
	if crc32.ChecksumIEEE(body) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	bits := b[12]
	if bits < minBits || bits > maxBits || b[13]|b[14]|b[15] != 0 {
		return nil, fmt.Errorf("%w: table size", ErrCorrupt)
	}
	m := &Model{bits: bits, mask: 1<<bits - 1}
	m.bias[0] = math.Float32frombits(le.Uint32(b[16:]))
	m.bias[1] = math.Float32frombits(le.Uint32(b[20:]))
	infoLen := int(le.Uint32(b[24:]))
	rest := body[headerLen:]
	if infoLen > len(rest) || len(rest)-infoLen != 8<<bits {
		return nil, fmt.Errorf("%w: length", ErrCorrupt)
	}
	m.info = string(rest[:infoLen])
	rest = rest[infoLen:]
	m.w = make([]float32, 2<<bits)
	for i := range m.w {
		w := math.Float32frombits(le.Uint32(rest[4*i:]))
		if math.IsNaN(float64(w)) || math.IsInf(float64(w), 0) {
			return nil, fmt.Errorf("%w: weight %d is not finite", ErrCorrupt, i)
		}
		m.w[i] = w
	}
	return m, nil
}
