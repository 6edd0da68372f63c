package browser

import (
	"encoding/binary"
	"os"
)

// Timed metadata as IVS puts it into a stream (PutMetadata): ID3 tags with
// a TXXX frame, carried in MPEG-TS as a metadata stream (PMT stream_type
// 0x15 with ID3 metadata descriptors, PES on private_stream_1). ffmpeg
// reads such a file as a timed_id3 stream and muxes it into HLS segments
// beside the video, which the IVS player reports as TEXT_METADATA_CUE.
// The layout follows ISO/IEC 13818-1 (PAT, PMT, PES, CRC-32) and Apple's
// "Timed Metadata for HTTP Live Streaming" (the descriptors), and the ID3
// tag id3v2.4.0-structure (syncsafe sizes) and id3v2.4.0-frames (TXXX).

// writeID3Stream writes an MPEG-TS file at path holding one ID3 TXXX tag
// per text, the i-th at 1+i seconds.
func writeID3Stream(path string, texts []string) error {
	w := &tsWriter{continuity: map[uint16]byte{}}
	for i, text := range texts {
		w.section(patPID, patSection())
		w.section(pmtPID, pmtSection())
		tag := id3Tag(text)
		// ffmpeg reads metadata carried in PES as metadata access unit
		// cells (ISO/IEC 13818-1, 2.12.4: service ID, sequence number,
		// flags, length, then the unit) and writes the bare ID3 tag into
		// the HLS segments, as Apple's timed metadata and IVS's streams
		// carry it: the cell header here is read and dropped.
		cell := append([]byte{0x00, 0x00, 0xDF, byte(len(tag) >> 8), byte(len(tag))}, tag...)
		w.packets(id3PID, pes(uint64(90_000*(1+i)), cell))
	}
	return os.WriteFile(path, w.out, 0o644)
}

const (
	patPID uint16 = 0x0000
	pmtPID uint16 = 0x1000
	id3PID uint16 = 0x0100
)

type tsWriter struct {
	out        []byte
	continuity map[uint16]byte
}

// packets splits payload into 188-byte packets of pid, the first marked
// as a unit start, the last padded by an adaptation field.
func (w *tsWriter) packets(pid uint16, payload []byte) {
	for first := true; len(payload) > 0; first = false {
		p := make([]byte, 188)
		p[0] = 0x47
		p[1] = byte(pid>>8) & 0x1F
		if first {
			p[1] |= 0x40
		}
		p[2] = byte(pid & 0xFF)
		cc := w.continuity[pid]
		w.continuity[pid] = (cc + 1) & 0x0F
		if len(payload) >= 184 {
			p[3] = 0x10 | cc
			copy(p[4:], payload[:184])
			payload = payload[184:]
		} else {
			stuffing := 184 - len(payload)
			p[3] = 0x30 | cc
			p[4] = byte(stuffing - 1) // adaptation_field_length
			if stuffing > 1 {
				p[5] = 0x00 // no flags
				for i := 6; i < 4+stuffing; i++ {
					p[i] = 0xFF
				}
			}
			copy(p[4+stuffing:], payload)
			payload = nil
		}
		w.out = append(w.out, p...)
	}
}

// section writes a PSI section (with its CRC) in one packet.
func (w *tsWriter) section(pid uint16, section []byte) {
	section = binary.BigEndian.AppendUint32(section, crc32MPEG2(section))
	payload := append([]byte{0x00}, section...) // pointer_field
	for len(payload) < 184 {
		payload = append(payload, 0xFF)
	}
	w.packets(pid, payload)
}

// psi prefixes a section body with its table ID and length (CRC included).
func psi(tableID byte, body []byte) []byte {
	n := len(body) + 4
	return append([]byte{tableID, 0xB0 | byte(n>>8), byte(n)}, body...)
}

func patSection() []byte {
	return psi(0x00, []byte{0x00, 0x01, 0xC1, 0x00, 0x00, // transport stream 1, version 0, section 0 of 0
		0x00, 0x01, 0xE0 | byte(pmtPID>>8), byte(pmtPID & 0xFF)}) // program 1's PMT
}

func pmtSection() []byte {
	// metadata_pointer_descriptor (program) and metadata_descriptor (the
	// stream): application format 0xFFFF with "ID3 ", format 0xFF with
	// "ID3 ".
	pointer := []byte{0x25, 0x0F, 0xFF, 0xFF, 'I', 'D', '3', ' ', 0xFF, 'I', 'D', '3', ' ', 0x00, 0x1F, 0x00, 0x01}
	metadata := []byte{0x26, 0x0D, 0xFF, 0xFF, 'I', 'D', '3', ' ', 0xFF, 'I', 'D', '3', ' ', 0x00, 0x0F}
	body := []byte{0x00, 0x01, 0xC1, 0x00, 0x00, 0xE0 | byte(id3PID>>8), byte(id3PID & 0xFF), 0xF0, byte(len(pointer))}
	body = append(body, pointer...)
	body = append(body, 0x15, 0xE0|byte(id3PID>>8), byte(id3PID&0xFF), 0xF0, byte(len(metadata))) // stream_type 0x15: metadata in PES
	return psi(0x02, append(body, metadata...))
}

// pes is a private_stream_1 PES packet with pts (90 kHz) around data.
func pes(pts uint64, data []byte) []byte {
	h := []byte{0x00, 0x00, 0x01, 0xBD, 0, 0, 0x84, 0x80, 0x05,
		byte(0x21 | (pts>>29)&0x0E), byte(pts >> 22), byte(0x01 | (pts>>14)&0xFE), byte(pts >> 7), byte(0x01 | (pts<<1)&0xFE)}
	n := len(h) - 6 + len(data)
	h[4], h[5] = byte(n>>8), byte(n)
	return append(h, data...)
}

// id3Tag is an ID3v2.4 tag with one TXXX frame: UTF-8, no description,
// text.
func id3Tag(text string) []byte {
	content := append([]byte{0x03, 0x00}, text...)
	frame := append(append([]byte("TXXX"), syncsafe(len(content))...), 0x00, 0x00)
	frame = append(frame, content...)
	return append(append([]byte{'I', 'D', '3', 0x04, 0x00, 0x00}, syncsafe(len(frame))...), frame...)
}

func syncsafe(n int) []byte {
	return []byte{byte(n >> 21 & 0x7F), byte(n >> 14 & 0x7F), byte(n >> 7 & 0x7F), byte(n & 0x7F)}
}

// crc32MPEG2 is the CRC of PSI sections: polynomial 0x04C11DB7, initial
// value 0xFFFFFFFF, not reflected, no final XOR.
func crc32MPEG2(b []byte) uint32 {
	crc := uint32(0xFFFFFFFF)
	for _, x := range b {
		crc ^= uint32(x) << 24
		for range 8 {
			if crc&0x80000000 != 0 {
				crc = crc<<1 ^ 0x04C11DB7
			} else {
				crc <<= 1
			}
		}
	}
	return crc
}
