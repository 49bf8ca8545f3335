package main

// Healthy shapes that must never be flagged likely (at most one possible each).

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"
)

func init() {
	register(&Scenario{Name: "idle-pool", Kind: "healthy", Pattern: "a worker pool with nothing to do", setup: idlePool})
	register(&Scenario{Name: "busy-pool", Kind: "healthy", Pattern: "a worker pool fed continuously", setup: busyPool})
	register(&Scenario{Name: "ticker-loop", Kind: "healthy", Pattern: "background loops on a ticker with a stop channel", setup: tickerLoop})
	register(&Scenario{Name: "long-timer-select", Kind: "healthy", Pattern: "sessions waiting in select with a 10-minute timer", setup: longTimerSelect})
	register(&Scenario{Name: "per-key-goroutines", Kind: "healthy", Pattern: "a dispatcher's per-key goroutines that live for minutes", setup: perKeyGoroutines})
	register(&Scenario{Name: "backpressure", Kind: "healthy", Pattern: "producers blocked on a full buffered channel while a slow consumer drains it", setup: backpressure})
	register(&Scenario{Name: "http-keepalive", Kind: "healthy", Pattern: "an HTTP server with keep-alive clients under load", setup: httpKeepalive})
	register(&Scenario{Name: "mutex-contention", Kind: "healthy", Pattern: "workers contending for one lock under load", setup: mutexContention})
	register(&Scenario{Name: "pubsub-live", Kind: "healthy", Pattern: "subscribers of a live hub waiting for events", setup: pubsubLive})
	register(&Scenario{Name: "request-reply", Kind: "healthy", Pattern: "requests waiting briefly for a server goroutine's reply", setup: requestReply})
	register(&Scenario{Name: "signal-handler", Kind: "healthy", Pattern: "signal.Notify and a goroutine waiting for SIGTERM", setup: signalHandler})
	register(&Scenario{Name: "cond-queue", Kind: "healthy", Pattern: "a Cond-based queue with idle consumers", setup: condQueue})
}

func idlePool() {
	jobs := make(chan int)
	for i := 0; i < 16; i++ {
		go func() {
			for j := range jobs {
				_ = j
			}
		}()
	}
	keep(jobs)
}

var kept []any

// keep holds a channel the way a server struct would (a pool's jobs channel outlives setup).
func keep(v any) { kept = append(kept, v) }

func busyPool() {
	jobs := make(chan int)
	for i := 0; i < 8; i++ {
		go func() {
			for j := range jobs {
				time.Sleep(time.Duration(j%3) * time.Millisecond)
			}
		}()
	}
	go func() {
		for i := 0; ; i++ {
			jobs <- i
			time.Sleep(200 * time.Microsecond)
		}
	}()
}

func tickerLoop() {
	stop := make(chan struct{})
	for i := 0; i < 3; i++ {
		go func(period time.Duration) {
			t := time.NewTicker(period)
			defer t.Stop()
			for {
				select {
				case <-t.C:
				case <-stop:
					return
				}
			}
		}(time.Duration(50*(i+1)) * time.Millisecond)
	}
	keep(stop)
}

func longTimerSelect() {
	ctx, cancel := context.WithCancel(context.Background())
	keep(cancel)
	for i := 0; i < 12; i++ {
		go func() {
			select {
			case <-time.After(10 * time.Minute):
			case <-ctx.Done():
			}
		}()
	}
}

func perKeyGoroutines() {
	in := make(chan string)
	go dispatcher(in)
	go func() {
		for i := 0; ; i++ {
			in <- fmt.Sprintf("key-%d", i)
			time.Sleep(150 * time.Millisecond)
		}
	}()
}

// dispatcher starts one goroutine per key, which aggregates for a few minutes, then flushes.
func dispatcher(in <-chan string) {
	groups := map[string]chan string{}
	for key := range in {
		ch, ok := groups[key]
		if !ok {
			ch = make(chan string, 1)
			groups[key] = ch
			go aggregate(key, ch)
		}
		ch <- key
	}
}

func aggregate(key string, in <-chan string) {
	flush := time.NewTimer(5 * time.Minute)
	defer flush.Stop()
	for {
		select {
		case <-in:
		case <-flush.C:
			return
		}
	}
}

func backpressure() {
	go runPipeline()
}

// runPipeline starts the producers and waits for them: the usual errgroup-like shape.
func runPipeline() {
	queue := make(chan int, 4)
	var wg sync.WaitGroup
	for p := 0; p < 6; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				queue <- i // blocks while the consumer is behind: backpressure
			}
		}()
	}
	go func() {
		for v := range queue {
			_ = v
			time.Sleep(time.Millisecond)
		}
	}()
	wg.Wait()
}

func httpKeepalive() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		time.Sleep(time.Duration(rand.Intn(3)) * time.Millisecond)
		fmt.Fprintln(w, "ok")
	})
	go func() { _ = http.Serve(ln, mux) }()
	url := "http://" + ln.Addr().String() + "/"
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 8}}
	for c := 0; c < 8; c++ {
		go func() {
			for {
				resp, err := client.Get(url)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				time.Sleep(20 * time.Millisecond)
			}
		}()
	}
}

func mutexContention() {
	var mu sync.Mutex
	counter := 0
	for i := 0; i < 8; i++ {
		go func() {
			for {
				mu.Lock()
				counter++
				time.Sleep(100 * time.Microsecond)
				mu.Unlock()
				time.Sleep(50 * time.Microsecond)
			}
		}()
	}
}

type hub struct {
	mu   sync.Mutex
	subs []chan int
}

func pubsubLive() {
	h := &hub{}
	for i := 0; i < 10; i++ {
		ch := make(chan int, 1)
		h.subs = append(h.subs, ch)
		go func() {
			for v := range ch {
				_ = v
			}
		}()
	}
	go func() {
		for i := 0; ; i++ {
			time.Sleep(2 * time.Second)
			h.mu.Lock()
			for _, ch := range h.subs {
				select {
				case ch <- i:
				default:
				}
			}
			h.mu.Unlock()
		}
	}()
}

func requestReply() {
	calls := make(chan chan int)
	go func() {
		for reply := range calls {
			time.Sleep(time.Millisecond)
			reply <- 1
		}
	}()
	go func() {
		for {
			go func() {
				reply := make(chan int)
				calls <- reply
				<-reply
			}()
			time.Sleep(5 * time.Millisecond)
		}
	}()
}

func signalHandler() {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	go func() {
		<-sigs
		os.Exit(0)
	}()
}

type queue struct {
	mu    sync.Mutex
	cond  *sync.Cond
	items []int
}

func condQueue() {
	q := &queue{}
	q.cond = sync.NewCond(&q.mu)
	for i := 0; i < 4; i++ {
		go func() {
			for {
				q.mu.Lock()
				for len(q.items) == 0 {
					q.cond.Wait()
				}
				q.items = q.items[1:]
				q.mu.Unlock()
			}
		}()
	}
	keep(q)
}
