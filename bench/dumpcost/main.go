// dumpcost parks N goroutines in the states a real service's goroutines wait in, then serves
// net/http/pprof on loopback, so bench/dump-cost.bench.ts can time one goroutine dump at that size.
// Every channel stays reachable from a global, so the goroutineleak profile (Go 1.26 with
// GOEXPERIMENT=goroutineleakprofile, Go 1.27) does its full GC-based search and finds nothing:
// the bench times the search, not a report of leaks.
//
// Go's ?debug=2 handler calls runtime.Stack(buf, true) with a 1 MB buffer and, while the dump does
// not fit, doubles the buffer and calls it again; each call stops the world and walks every
// goroutine. So one request is several freezes, and the time to the headers is their sum. A
// heartbeat goroutine measures the longest single one from inside: /heartbeat returns the longest
// gap between its 1 ms ticks since the last call, and starts again.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"runtime"
	"sync"
	"sync/atomic"
	"time"
)

var (
	jobs = make(chan int) // a worker pool's queue: its workers park in `chan receive`
	quit = make(chan struct{})
	wake = make(chan int) // what the call chains wait on at their deepest frame
)

// worker is one goroutine of a pool waiting for work.
func worker(started *sync.WaitGroup) {
	started.Done()
	for job := range jobs {
		_ = job
	}
}

// poller waits in a select on a timer and a quit channel, like a periodic background loop.
func poller(started *sync.WaitGroup) {
	started.Done()
	for {
		select {
		case <-time.After(time.Hour):
		case <-quit:
			return
		}
	}
}

// handler → decode → lookup → fetch → wait: a 5-deep call chain that ends waiting on a channel,
// as a request handler waits on a backend. go:noinline keeps every frame in the dump.

//go:noinline
func handler(started *sync.WaitGroup) int { return decode(started) + 1 }

//go:noinline
func decode(started *sync.WaitGroup) int { return lookup(started) + 1 }

//go:noinline
func lookup(started *sync.WaitGroup) int { return fetch(started) + 1 }

//go:noinline
func fetch(started *sync.WaitGroup) int { return wait(started) + 1 }

//go:noinline
func wait(started *sync.WaitGroup) int {
	started.Done()
	return <-wake
}

var longestGap atomic.Int64 // nanoseconds

// heartbeat ticks every millisecond; a stopped world delays its wake-up by as long as it is stopped.
func heartbeat() {
	last := time.Now()
	for {
		time.Sleep(time.Millisecond)
		now := time.Now()
		gap := int64(now.Sub(last))
		last = now
		for {
			old := longestGap.Load()
			if gap <= old || longestGap.CompareAndSwap(old, gap) {
				break
			}
		}
	}
}

func main() {
	n := flag.Int("n", 1000, "goroutines to park (split evenly over pool workers, timer selects, call chains)")
	flag.Parse()

	var started sync.WaitGroup
	started.Add(*n)
	for i := 0; i < *n; i++ {
		switch i % 3 {
		case 0:
			go worker(&started)
		case 1:
			go poller(&started)
		default:
			go func() { _ = handler(&started) }()
		}
	}
	started.Wait()
	// Done() comes just before each goroutine parks: wait until the scheduler has parked them all.
	for runtime.NumGoroutine() < *n {
		time.Sleep(10 * time.Millisecond)
	}
	time.Sleep(100 * time.Millisecond)

	go heartbeat()
	http.HandleFunc("/heartbeat", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, "%d\n", longestGap.Swap(0)/int64(time.Microsecond))
	})

	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", listener.Addr())
	if err := http.Serve(listener, nil); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
