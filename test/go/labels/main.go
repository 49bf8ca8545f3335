// Prints its own goroutine dump (debug=2; `goroutineleak` as the argument: that profile's) with
// pprof labels in the headers, then exits: a labelled worker blocked on a channel, one whose labels
// need quoting, and a labelled forgotten sender (Go 1.27's leak profile proves it leaked). Run by
// test/go-labels.test.ts with Go 1.26 (GODEBUG=tracebacklabels=1: labels inside the bracket) and
// Go 1.27 (module `go 1.27`: labels after it). Standard library only.
package main

import (
	"bytes"
	"context"
	"os"
	"runtime/pprof"
	"strings"
	"time"
)

var hold = make(chan struct{})

func labelled(labels ...string) {
	ready := make(chan struct{})
	go pprof.Do(context.Background(), pprof.Labels(labels...), func(context.Context) {
		close(ready)
		<-hold
	})
	<-ready
}

func main() {
	labelled("handler", "/api/v1/export", "tenant", "acme")
	labelled("query", `select "x", 'y' from t where a=1`, "emoji", "héllo wörld")
	// A sender on a channel nothing else can reach: it can never finish.
	go pprof.Do(context.Background(), pprof.Labels("leak", "forgotten-sender"), func(context.Context) {
		lost := make(chan int)
		lost <- 1
	})
	// Wait until all three are parked where the tests look for them: a fixed sleep was not enough
	// on a loaded CI machine (a worker still running close(ready) was dumped as "running").
	for deadline := time.Now().Add(30 * time.Second); !parked() && time.Now().Before(deadline); {
		time.Sleep(5 * time.Millisecond)
	}
	profile := "goroutine"
	if len(os.Args) > 1 {
		profile = os.Args[1]
	}
	if err := pprof.Lookup(profile).WriteTo(os.Stdout, 2); err != nil {
		os.Exit(1)
	}
}

// parked: the two labelled workers wait in their receive and the forgotten sender in its send.
func parked() bool {
	var dump bytes.Buffer
	if err := pprof.Lookup("goroutine").WriteTo(&dump, 2); err != nil {
		return false
	}
	receiving, sending := 0, 0
	for _, block := range strings.Split(dump.String(), "\n\n") {
		switch {
		case strings.Contains(block, "[chan receive") && strings.Contains(block, "main.labelled.func1("):
			receiving++
		case strings.Contains(block, "[chan send") && strings.Contains(block, "main.main.func1("):
			sending++
		}
	}
	return receiving == 2 && sending == 1
}
