package web_test

import (
	"fmt"
	"io"
	"khienso/internal/web/webtest"
	"net/http"
	"testing"

	"khienso/internal/store"
	"khienso/internal/store/storetest"
)

// The unit tree page and a node's children on a generated province of
// 15,000 units, signed in as a coordinator:
// go test -run X -bench TreePage -benchmem ./internal/web/
func BenchmarkTreePage(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			f := webtest.New(b, engine)
			root, commune := storetest.Province(b, f.Store, 15000)
			storetest.Analyze(b, f.Store)
			c := f.Login("coord@t.vn").HTTP
			for _, page := range []struct{ name, path string }{
				{"tree", "/units"},
				{"children-of-province", fmt.Sprintf("/units/%d/children", root)},
				{"children-of-commune", fmt.Sprintf("/units/%d/children", commune)},
				{"open-path-to-commune", fmt.Sprintf("/units?open=%d", commune)},
				{"search", "/units?q=dong+vinh+12"},
				{"detail", fmt.Sprintf("/units/%d", commune)},
			} {
				b.Run(page.name, func(b *testing.B) {
					var size int
					for b.Loop() {
						resp, err := c.Get(f.Server.URL + page.path)
						if err != nil {
							b.Fatal(err)
						}
						n, _ := io.Copy(io.Discard, resp.Body)
						resp.Body.Close()
						if resp.StatusCode != http.StatusOK {
							b.Fatalf("%s: %d", page.path, resp.StatusCode)
						}
						size = int(n)
					}
					b.ReportMetric(float64(size), "bytes/page")
				})
			}
		})
	}
}
