// Command leaky is a small HTTP service that leaks goroutines on request, for watching
// with gmon. Each /leak/... endpoint reproduces one classic goroutine leak and answers
// with how many goroutines it left blocked forever; /fixed/... is the same code fixed.
//
//	cd examples/leaky && go run .        # listens on localhost:6060
//	gmon localhost:6060                  # in another pane
//	curl 'localhost:6060/leak/fanout?n=5'  # and watch four goroutines get stuck in chan send
//
// Standard library only, so it builds with any Go toolchain from 1.19 on.
package main

import (
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	_ "net/http/pprof" // registers /debug/pprof/ on http.DefaultServeMux: what gmon polls
	"os"
)

func main() {
	addr := flag.String("addr", "localhost:6060", "address to listen on (host:port; port 0 picks a free port)")
	background := flag.Bool("background", true, "run the healthy background load (worker pool, ticker, keep-alive self-checks)")
	flag.Parse()

	// Listen first, so the printed address is the real one even with port 0: tests start
	// the service on 127.0.0.1:0 and read the port from this line.
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("leaky: %v", err)
	}
	fmt.Fprintf(os.Stderr, "leaky: listening on %s\n", ln.Addr())

	registerLeaks(http.DefaultServeMux)
	registerFixed(http.DefaultServeMux)
	http.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, "ok")
	})
	http.HandleFunc("/", index)

	if *background {
		startBackground(ln.Addr().String())
	}

	server := &http.Server{Handler: http.DefaultServeMux}
	log.Fatal(server.Serve(ln))
}

func index(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	fmt.Fprint(w, `leaky: a service that leaks goroutines on request.

Leaks (each answers {"leaked": N}: the goroutines it left blocked forever):
  /leak/forgotten-sender   search with a timeout; the late worker blocks on chan send   (main.searchWorker)
  /leak/fanout?n=5         first result wins; the other n-1 workers block on chan send  (main.fanoutWorker)
  /leak/producer           streams 3 results, stops reading; producer blocks on send    (main.produceResults)
  /leak/ticker             a refresh loop waits for a ready channel nobody closes       (main.tickerLoop)

The same code, fixed (each answers {"leaked": 0}):
  /fixed/forgotten-sender  buffered channel: the late send completes
  /fixed/fanout?n=5        channel buffered for all n results
  /fixed/producer          producer selects on ctx.Done()
  /fixed/ticker            loop selects on ctx.Done() and stops its ticker

Watch it:
  /debug/pprof/goroutine?debug=2   every goroutine's stack (what gmon polls)
  /debug/pprof/                    the pprof index
`)
	fmt.Fprintf(w, "\nLeaked so far: %d goroutines\n", leakedTotal.Load())
}
