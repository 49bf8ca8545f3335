package main

// The same four endpoints, fixed. Compare each with its twin in leaks.go: the fix is one
// buffer size or one `case <-ctx.Done()`.

import (
	"context"
	"net/http"
	"time"
)

func registerFixed(mux *http.ServeMux) {
	mux.HandleFunc("/fixed/forgotten-sender", fixedForgottenSender)
	mux.HandleFunc("/fixed/fanout", fixedFanout)
	mux.HandleFunc("/fixed/producer", fixedProducer)
	mux.HandleFunc("/fixed/ticker", fixedTicker)
}

// Fix: a buffer of 1 lets the late worker complete its send and exit, read or not.
func fixedForgottenSender(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Millisecond)
	defer cancel()
	results := make(chan hit, 1)
	go searchWorker(r.Context(), r.URL.Query().Get("q"), results)
	select {
	case h := <-results:
		report(w, "fixed/forgotten-sender", 0, "", map[string]any{"hit": h})
	case <-ctx.Done():
		report(w, "fixed/forgotten-sender", 0, "", map[string]any{"error": "search timed out"})
	}
}

// Fix: room for every worker's answer, so the losers send and exit.
func fixedFanout(w http.ResponseWriter, r *http.Request) {
	n := fanoutN(r)
	results := make(chan hit, n)
	for i := 0; i < n; i++ {
		go fanoutWorker(r.URL.Query().Get("q"), i, results)
	}
	first := <-results
	report(w, "fixed/fanout", 0, "", map[string]any{"n": n, "hit": first})
}

// Fix: the producer also watches ctx, which the handler cancels when it stops reading.
func fixedProducer(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	defer cancel()
	results := make(chan string)
	go produceResultsUntilDone(ctx, results)
	streamThree(w, results)
	cancel()
	report(w, "fixed/producer", 0, "", nil)
}

func produceResultsUntilDone(ctx context.Context, out chan<- string) {
	for i := 1; ; i++ {
		select {
		case out <- rowName(i):
		case <-ctx.Done():
			return
		}
	}
}

// Fix: the loop waits for ready OR the end of the request, and stops its ticker.
func fixedTicker(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithCancel(r.Context())
	ready := make(chan struct{})
	go tickerLoopUntilDone(ctx, ready)
	cancel() // the request is over: the loop must go with it
	report(w, "fixed/ticker", 0, "", nil)
}

func tickerLoopUntilDone(ctx context.Context, ready <-chan struct{}) {
	ticker := time.NewTicker(time.Second)
	defer ticker.Stop()
	select {
	case <-ready:
	case <-ctx.Done():
		return
	}
	for {
		select {
		case <-ticker.C:
			refreshCache()
		case <-ctx.Done():
			return
		}
	}
}
