package unitsweb_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"khienso/internal/store"
	"khienso/internal/web/webtest"
)

// One authenticated API read through the whole handler stack, from parallel
// callers, without the network (scripts/bench-api-read.sh measures it over
// loopback against a hello server):
// go test -run X -bench APIUnitGet -cpuprofile /tmp/api.prof ./internal/web/unitsweb/
func BenchmarkAPIUnitGet(b *testing.B) {
	for _, engine := range []store.Engine{store.SQLite, store.Postgres} {
		b.Run(string(engine), func(b *testing.B) {
			f := webtest.New(b, engine)
			h := f.Server.Config.Handler
			path := fmt.Sprintf("/api/v1/units/%d", f.Units["X1"])
			auth := "Bearer " + f.Tokens["admin@t.vn"]
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					r := httptest.NewRequest(http.MethodGet, path, nil)
					r.Header.Set("Authorization", auth)
					w := httptest.NewRecorder()
					h.ServeHTTP(w, r)
					if w.Code != http.StatusOK {
						b.Errorf("%s: %d %s", path, w.Code, w.Body)
						return
					}
				}
			})
		})
	}
}
