package web

import (
	"mime"
	"net/http"
	"strconv"
)

// Attachment sets the headers of a download named name: its type, the
// attachment disposition and no caching. Write the body after it (streamed
// documents); SendFile does both for a body held in memory.
func Attachment(w http.ResponseWriter, contentType, name string) {
	h := w.Header()
	h.Set("Content-Type", contentType)
	h.Set("Content-Disposition", disposition(name))
	h.Set("Cache-Control", "no-store")
}

// SendFile answers with body as a download named name.
func SendFile(w http.ResponseWriter, contentType, name string, body []byte) {
	Attachment(w, contentType, name)
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(body)
}

// disposition is the Content-Disposition of a download named name: the
// plain quoted form for names of printable ASCII (the product's own), the
// RFC 2231 form otherwise (names users gave their files).
func disposition(name string) string {
	for _, c := range []byte(name) {
		if c < 0x20 || c > 0x7e || c == '"' || c == '\\' {
			if v := mime.FormatMediaType("attachment", map[string]string{"filename": name}); v != "" {
				return v
			}
			return "attachment"
		}
	}
	return `attachment; filename="` + name + `"`
}
