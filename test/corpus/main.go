// The labelled leak corpus gmon's verdicts are measured on (npm run eval, test/corpus.test.ts).
// One binary, one scenario per run, chosen by flag:
//
//	corpus -scenario forgotten-sender -port 0    serve net/http/pprof on 127.0.0.1, print the port
//	corpus -list                                 the scenario table as JSON (what the eval reads)
//
// Every leak scenario leaks the way services do: from request traffic, a small burst at start (so
// the leak predates any look at it) and then a trickle. Its blocking line carries a
// `LEAK(name)` comment: that file:line is the site gmon must flag. Healthy scenarios run the
// shapes healthy services have and must never be flagged likely.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sort"
	"time"
)

// Scenario is one row of the table the eval reads (-list).
type Scenario struct {
	Name string `json:"name"`
	// Kind is "leak" or "healthy".
	Kind string `json:"kind"`
	// Wait is the wait reason Go prints at the labelled site (leaks only).
	Wait string `json:"wait,omitempty"`
	// Pattern says which well-known leak (or healthy shape) it is.
	Pattern string `json:"pattern"`
	// Request is one unit of traffic (run in its own goroutine, like a request handler).
	request func()
	// Setup starts long-lived parts once (pools, servers, dispatchers).
	setup func()
}

var scenarios = map[string]*Scenario{}

func register(s *Scenario) { scenarios[s.Name] = s }

func main() {
	name := flag.String("scenario", "", "scenario to run")
	port := flag.Int("port", 0, "port on 127.0.0.1 (0: any free one)")
	list := flag.Bool("list", false, "print the scenario table as JSON and exit")
	burst := flag.Int("burst", 6, "requests at start")
	every := flag.Duration("every", 300*time.Millisecond, "then one request per interval (0: none)")
	flag.Parse()

	if *list {
		names := make([]string, 0, len(scenarios))
		for n := range scenarios {
			names = append(names, n)
		}
		sort.Strings(names)
		rows := make([]*Scenario, 0, len(names))
		for _, n := range names {
			rows = append(rows, scenarios[n])
		}
		out, _ := json.MarshalIndent(rows, "", "  ")
		fmt.Println(string(out))
		return
	}
	s := scenarios[*name]
	if s == nil {
		fmt.Fprintf(os.Stderr, "corpus: unknown scenario %q (see -list)\n", *name)
		os.Exit(2)
	}
	ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", *port))
	if err != nil {
		fmt.Fprintf(os.Stderr, "corpus: %v\n", err)
		os.Exit(1)
	}
	if s.setup != nil {
		s.setup()
	}
	if s.request != nil {
		go drive(s.request, *burst, *every)
	}
	fmt.Printf("corpus: %s listening on 127.0.0.1:%d\n", s.Name, ln.Addr().(*net.TCPAddr).Port)
	_ = http.Serve(ln, nil)
}

// drive plays the traffic: each request in its own goroutine that returns, like a handler, and
// between two leaky requests a few ordinary ones that complete (most requests do not leak).
func drive(request func(), burst int, every time.Duration) {
	for i := 0; i < burst; i++ {
		go request()
		ordinary()
		time.Sleep(10 * time.Millisecond)
	}
	if every <= 0 {
		return
	}
	for {
		time.Sleep(every)
		go request()
		ordinary()
	}
}

// ordinary requests: they run briefly and finish.
func ordinary() {
	for i := 0; i < 2; i++ {
		go func() { work() }()
	}
}

// work stands in for a backend call.
func work() int {
	time.Sleep(2 * time.Millisecond)
	return 42
}
