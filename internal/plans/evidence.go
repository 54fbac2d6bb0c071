package plans

import (
	"bytes"
	"net/http"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// EvidenceName keeps the base name of an uploaded evidence file, short and
// printable ("file" when nothing is left): browsers on Windows send whole
// paths, and the name is shown to other users and sent back in downloads.
func EvidenceName(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == '"' {
			return -1
		}
		return r
	}, strings.ToValidUTF8(name, ""))
	name = strings.TrimSpace(name)
	if utf8.RuneCountInString(name) > 200 {
		name = string([]rune(name)[:200])
	}
	if name == "" {
		name = "file"
	}
	return name
}

// evidenceByContainer refines a sniffed type by extension. An evidence
// file is stored with what its content is, by its first bytes, never what
// the sender claimed; formats whose signature is a generic container (a
// ZIP for Office files, plain text for CSV, an OLE compound file for old
// Office files) take the type of their extension when that extension
// belongs to the container.
var evidenceByContainer = map[string]map[string]string{
	"application/zip": {
		".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		".odt":  "application/vnd.oasis.opendocument.text",
		".ods":  "application/vnd.oasis.opendocument.spreadsheet",
		".zip":  "application/zip",
	},
	"text/plain": {
		".txt": "text/plain; charset=utf-8",
		".csv": "text/csv; charset=utf-8",
	},
	"ole": {
		".doc": "application/msword",
		".xls": "application/vnd.ms-excel",
		".ppt": "application/vnd.ms-powerpoint",
	},
}

// evidenceSafe are sniffed types stored as they are; anything else (HTML,
// scripts, unknown binaries) is stored as application/octet-stream so that
// no browser ever renders it.
var evidenceSafe = map[string]bool{
	"application/pdf": true, "image/png": true, "image/jpeg": true, "image/gif": true, "image/webp": true,
	"image/bmp": true, "video/mp4": true, "video/webm": true, "audio/mpeg": true, "audio/wave": true,
	"application/zip": true, "application/x-rar-compressed": true, "application/x-gzip": true,
}

var oleSignature = []byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}

// EvidenceType is the content type an evidence file is stored and served
// with, sniffed from its content and refined by its name's extension.
func EvidenceType(name string, data []byte) string {
	ext := strings.ToLower(filepath.Ext(name))
	sniffed := http.DetectContentType(data)
	base, _, _ := strings.Cut(sniffed, ";")
	base = strings.TrimSpace(base)
	container := base
	if bytes.HasPrefix(data, oleSignature) {
		container = "ole"
	}
	if t, ok := evidenceByContainer[container][ext]; ok {
		return t
	}
	if base == "text/plain" {
		return "text/plain; charset=utf-8"
	}
	if evidenceSafe[base] {
		return base
	}
	return "application/octet-stream"
}
