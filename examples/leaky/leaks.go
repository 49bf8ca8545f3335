package main

// The four classic goroutine leaks. Each blocking line ends with a `LEAK(name)` comment:
// that is the file:line gmon's drill-down lands on, and the tests find it by that tag.

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"runtime"
	"strconv"
	"sync/atomic"
	"time"
)

// leakedTotal counts goroutines left blocked forever by the /leak/ endpoints since start.
var leakedTotal atomic.Int64

type hit struct {
	Source string `json:"source"`
	Title  string `json:"title"`
}

func registerLeaks(mux *http.ServeMux) {
	mux.HandleFunc("/leak/forgotten-sender", leakForgottenSender)
	mux.HandleFunc("/leak/fanout", leakFanout)
	mux.HandleFunc("/leak/producer", leakProducer)
	mux.HandleFunc("/leak/ticker", leakTicker)
}

// report answers with one JSON line: which leak ran and how many goroutines it left behind.
func report(w http.ResponseWriter, name string, leaked int, blockedIn string, extra map[string]any) {
	leakedTotal.Add(int64(leaked))
	body := map[string]any{
		"leak":         name,
		"leaked":       leaked,
		"leaked_total": leakedTotal.Load(),
		"goroutines":   runtime.NumGoroutine(),
	}
	if blockedIn != "" {
		body["blocked_in"] = blockedIn
	}
	for k, v := range extra {
		body[k] = v
	}
	w.Header().Set("Content-Type", "application/json")
	line, _ := json.Marshal(body)
	fmt.Fprintf(w, "%s\n", line)
}

// slowSearch stands in for a backend call that is slower than the handler's patience.
func slowSearch(query string, source int) hit {
	time.Sleep(time.Duration(30+10*source) * time.Millisecond)
	return hit{Source: "backend-" + strconv.Itoa(source), Title: "results for " + query}
}

// --- 1. The forgotten sender -------------------------------------------------------------
// The handler gives up after its timeout; the worker's backend answers only after the request
// is over, and its send on the unbuffered channel has nobody left to read it, ever.

func leakForgottenSender(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Millisecond)
	defer cancel()
	results := make(chan hit) // unbuffered: the send needs a reader
	go searchWorker(r.Context(), r.URL.Query().Get("q"), results)
	select {
	case h := <-results:
		report(w, "forgotten-sender", 0, "", map[string]any{"hit": h})
	case <-ctx.Done():
		// Timed out: we return, and nobody will ever receive from results.
		report(w, "forgotten-sender", 1, "main.searchWorker", map[string]any{"error": "search timed out"})
	}
}

func searchWorker(request context.Context, query string, results chan<- hit) {
	h := lateSearch(request, query) // the backend answers after the request has ended
	results <- h                    // LEAK(forgotten-sender): blocks forever once the handler timed out
}

// --- 2. Fan-out, first result wins ---------------------------------------------------------
// The handler asks n backends and returns with the first answer; the other n-1 workers
// block sending their answers on an unbuffered channel.

func leakFanout(w http.ResponseWriter, r *http.Request) {
	n := fanoutN(r)
	results := make(chan hit) // unbuffered: only one send will ever be received
	for i := 0; i < n; i++ {
		go fanoutWorker(r.URL.Query().Get("q"), i, results)
	}
	first := <-results
	report(w, "fanout", n-1, "main.fanoutWorker", map[string]any{"n": n, "hit": first})
}

func fanoutWorker(query string, source int, results chan<- hit) {
	h := slowSearch(query, source)
	results <- h // LEAK(fanout): every worker but the fastest blocks here forever
}

func fanoutN(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("n"))
	if err != nil || n < 1 {
		return 5
	}
	if n > 1000 {
		return 1000
	}
	return n
}

// --- 3. The abandoned producer -------------------------------------------------------------
// A streaming endpoint reads 3 results from a producer and stops; the producer blocks on
// its next send forever.

func leakProducer(w http.ResponseWriter, r *http.Request) {
	results := make(chan string)
	go produceResults(results)
	streamThree(w, results)
	// The consumer stops reading here; produceResults is parked on its 4th send.
	report(w, "producer", 1, "main.produceResults", nil)
}

func produceResults(out chan<- string) {
	for i := 1; ; i++ {
		out <- rowName(i) // LEAK(producer): blocks forever after the consumer left
	}
}

func rowName(i int) string { return "row-" + strconv.Itoa(i) }

// streamThree writes 3 results as JSON lines, flushing each, the way a streaming API would.
func streamThree(w http.ResponseWriter, results <-chan string) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	flusher, _ := w.(http.Flusher)
	for i := 0; i < 3; i++ {
		line, _ := json.Marshal(map[string]string{"result": <-results})
		fmt.Fprintf(w, "%s\n", line)
		if flusher != nil {
			flusher.Flush()
		}
	}
}

// --- 4. The loop that outlives its request -------------------------------------------------
// The handler starts a refresh loop that first waits for a "ready" signal. Nobody ever
// closes ready, so the loop (and its ticker, which is never stopped) lives forever.

func leakTicker(w http.ResponseWriter, r *http.Request) {
	ready := make(chan struct{}) // closed when the cache is warm: nobody ever does
	go tickerLoop(ready)
	report(w, "ticker", 1, "main.tickerLoop", nil)
}

func tickerLoop(ready <-chan struct{}) {
	ticker := time.NewTicker(time.Second) // never stopped
	<-ready                               // LEAK(ticker): waits forever for a ready signal nobody sends
	for range ticker.C {
		refreshCache()
	}
}

func refreshCache() {}

// lateSearch is a backend slower than the whole request: it answers once the request has ended
// (net/http cancels the request's context when the handler returns). So the forgotten sender
// leaks on every call, however the machine schedules the goroutines: a 30 ms search against a
// 10 ms timeout alone raced (a loaded machine could run the timer late and the handler read the
// answer after all).
func lateSearch(request context.Context, query string) hit {
	h := slowSearch(query, 0)
	<-request.Done()
	return h
}
