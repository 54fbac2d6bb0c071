// Command hello is the baseline for scripts/bench-api-read.sh: the smallest
// useful Go HTTP server, so API figures can be read as a fraction of what
// net/http itself does on the same machine in the same run.
package main

import (
	"flag"
	"log"
	"net/http"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8091", "address to listen on")
	flag.Parse()
	http.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write([]byte("hello"))
	})
	log.Fatal(http.ListenAndServe(*addr, nil))
}
