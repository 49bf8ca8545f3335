package main

// A healthy background, so the leaks have something to stand out from — the goroutines a
// real service always has: a worker pool idling on its jobs channel, a ticker loop, HTTP
// keep-alive connections (both ends), and request goroutines that come and go.

import (
	"io"
	"net/http"
	"time"
)

type job struct {
	id   int
	cost time.Duration
}

func startBackground(addr string) {
	jobs := make(chan job)
	for i := 0; i < 4; i++ {
		go worker(jobs)
	}
	go feedJobs(jobs)
	go healthChecker("http://" + addr + "/healthz")
}

// worker idles in `chan receive` on jobs between jobs, in `sleep` while working.
func worker(jobs <-chan job) {
	for j := range jobs {
		process(j)
	}
}

func process(j job) {
	time.Sleep(j.cost)
}

// feedJobs is the ticker loop: it idles in `select` and hands a job to the pool each tick.
func feedJobs(jobs chan<- job) {
	ticker := time.NewTicker(100 * time.Millisecond)
	defer ticker.Stop()
	done := make(chan struct{}) // a shutdown signal, as a real service would have
	for id := 1; ; id++ {
		select {
		case <-ticker.C:
			jobs <- job{id: id, cost: time.Duration(5+id%40) * time.Millisecond}
		case <-done:
			return
		}
	}
}

// healthChecker calls the service's own /healthz through a keep-alive client every half
// second: that keeps a client connection (persistConn read/write loops) and a server
// connection open, and a short-lived request goroutine appears for each call.
func healthChecker(url string) {
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		time.Sleep(500 * time.Millisecond)
		resp, err := client.Get(url)
		if err != nil {
			continue
		}
		io.Copy(io.Discard, resp.Body) // drain, so the connection is reused
		resp.Body.Close()
	}
}
