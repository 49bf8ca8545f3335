// churn keeps about N goroutines alive that come and go, for bench/soak.ts: each lives a random
// 1–60 s parked in one of a few real waits (a pool's channel, a select on a timer, a mutex, a
// sleep, a 4-deep call chain), then exits and is replaced by a new one with a new id. The count stays
// flat while the ids churn, which is what a long-running gmon must hold steady on: anything it keeps per
// goroutine id, per poll or per stack must be let go when the goroutine is.
package main

import (
	"flag"
	"fmt"
	"math/rand"
	"net"
	"net/http"
	_ "net/http/pprof"
	"os"
	"sync"
	"time"
)

var mu sync.Mutex

//go:noinline
func handler(d time.Duration) { decode(d) }

//go:noinline
func decode(d time.Duration) { lookup(d) }

//go:noinline
func lookup(d time.Duration) { fetch(d) }

//go:noinline
func fetch(d time.Duration) { <-time.After(d) }

func live(kind int, d time.Duration) {
	switch kind {
	case 0:
		ch := make(chan int)
		select {
		case <-ch:
		case <-time.After(d):
		}
	case 1:
		time.Sleep(d)
	case 2:
		handler(d)
	case 3:
		done := make(chan struct{})
		go func() { time.Sleep(d); close(done) }()
		<-done
	default:
		t := time.NewTimer(d)
		<-t.C
	}
}

func main() {
	n := flag.Int("n", 12000, "goroutines kept alive")
	flag.Parse()
	slots := make(chan struct{}, *n)
	go func() {
		for {
			slots <- struct{}{}
			kind := rand.Intn(5)
			d := time.Duration(1000+rand.Intn(59000)) * time.Millisecond
			go func() {
				live(kind, d)
				<-slots
			}()
		}
	}()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Printf("listening on %s\n", ln.Addr())
	_ = http.Serve(ln, nil)
}
