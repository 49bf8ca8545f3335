package main

// Channel leaks: each blocking line carries LEAK(name), the site gmon must flag.

import (
	"context"
	"errors"
	"sync"
	"time"
)

func init() {
	register(&Scenario{Name: "forgotten-sender", Kind: "leak", Wait: "chan send", Pattern: "forgotten sender: the caller timed out, the worker's send has no reader", request: forgottenSender})
	register(&Scenario{Name: "early-return", Kind: "leak", Wait: "chan send", Pattern: "early return before reading the result", request: earlyReturn})
	register(&Scenario{Name: "fanout-early-exit", Kind: "leak", Wait: "chan send", Pattern: "fan-out with an early exit on the first result", request: fanoutEarlyExit})
	register(&Scenario{Name: "ncast-one-reader", Kind: "leak", Wait: "chan send", Pattern: "n-cast with one reader", request: ncastOneReader})
	register(&Scenario{Name: "double-send", Kind: "leak", Wait: "chan send", Pattern: "double send: a result then an error, one read", request: doubleSend})
	register(&Scenario{Name: "timeout-abandons-worker", Kind: "leak", Wait: "chan send", Pattern: "timeout that abandons its worker (time.After)", request: timeoutAbandons})
	register(&Scenario{Name: "global-chan-send", Kind: "leak", Wait: "chan send", Pattern: "send on a channel kept in a global nobody reads (runtime cannot prove)", request: globalChanSend})
	register(&Scenario{Name: "consumer-quits-early", Kind: "leak", Wait: "chan send", Pattern: "producer left sending after its consumer stopped reading", request: consumerQuitsEarly})
	register(&Scenario{Name: "error-chan-first-error", Kind: "leak", Wait: "chan send", Pattern: "errgroup by hand: return on the first error, the others send theirs", request: errorChanFirstError})
	register(&Scenario{Name: "method-done-chan", Kind: "leak", Wait: "chan send", Pattern: "method contract: Run reports on a done channel its caller never reads", request: methodDoneChan})
	register(&Scenario{Name: "buffered-full-retry", Kind: "leak", Wait: "chan send", Pattern: "buffer of one, two sends (a retry reports again)", request: bufferedFullRetry})
	register(&Scenario{Name: "pipeline-stage-abandoned", Kind: "leak", Wait: "chan send", Pattern: "a pipeline stage whose downstream returned", request: pipelineStageAbandoned})
	register(&Scenario{Name: "range-never-closed", Kind: "leak", Wait: "chan receive", Pattern: "range over a channel never closed", request: rangeNeverClosed})
	register(&Scenario{Name: "wrong-channel-closed", Kind: "leak", Wait: "chan receive", Pattern: "wrong channel closed", request: wrongChannelClosed})
	register(&Scenario{Name: "start-without-stop", Kind: "leak", Wait: "chan receive", Pattern: "method contract: Start without Stop", request: startWithoutStop})
	register(&Scenario{Name: "ticker-outlives-caller", Kind: "leak", Wait: "chan receive", Pattern: "ticker outliving its caller (wakes every tick; runtime cannot prove)", request: tickerOutlives})
	register(&Scenario{Name: "reply-never-sent", Kind: "leak", Wait: "chan receive", Pattern: "waiting for a reply the server dropped on error", request: replyNeverSent})
	register(&Scenario{Name: "global-chan-receive", Kind: "leak", Wait: "chan receive", Pattern: "receive on a channel kept in a global nobody sends to (runtime cannot prove)", request: globalChanReceive})
	register(&Scenario{Name: "cancel-dropped", Kind: "leak", Wait: "chan receive", Pattern: "waiting on ctx.Done() of a context whose cancel was dropped", request: cancelDropped})
	register(&Scenario{Name: "subscriber-never-published", Kind: "leak", Wait: "chan receive", Pattern: "subscriber registered in a global broker that never publishes (runtime cannot prove)", request: subscriberNeverPublished})
	register(&Scenario{Name: "nil-chan-receive", Kind: "leak", Wait: "chan receive (nil chan)", Pattern: "receive on a nil channel (an unset field)", request: nilChanReceive})
	register(&Scenario{Name: "nil-chan-send", Kind: "leak", Wait: "chan send (nil chan)", Pattern: "send on a nil channel (an unset field)", request: nilChanSend})
	register(&Scenario{Name: "select-two-never", Kind: "leak", Wait: "select", Pattern: "select on two channels, neither ever ready", request: selectTwoNever})
	register(&Scenario{Name: "select-background-ctx", Kind: "leak", Wait: "select", Pattern: "select on context.Background().Done() (nil) and a channel nobody sends on", request: selectBackgroundCtx})
	register(&Scenario{Name: "select-stage-abandoned", Kind: "leak", Wait: "select", Pattern: "pipeline stage waiting on input or done; both abandoned", request: selectStageAbandoned})
	register(&Scenario{Name: "select-no-cases", Kind: "leak", Wait: "select (no cases)", Pattern: "select {} outside main", request: selectNoCases})
}

func forgottenSender() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Millisecond)
	defer cancel()
	results := make(chan int)
	go func() {
		time.Sleep(5 * time.Millisecond)
		results <- work() // LEAK(forgotten-sender)
	}()
	select {
	case <-results:
	case <-ctx.Done():
	}
}

func earlyReturn() {
	result := make(chan int)
	go func() {
		result <- work() // LEAK(early-return)
	}()
	if err := validate(); err != nil {
		return // forgot to read result
	}
	<-result
}

func validate() error { return errors.New("bad input") }

func fanoutEarlyExit() {
	results := make(chan int)
	for i := 0; i < 4; i++ {
		go fanoutWorker(i, results)
	}
	<-results // the first answer wins; three workers are left sending
}

func fanoutWorker(i int, results chan<- int) {
	time.Sleep(time.Duration(i) * time.Millisecond)
	results <- i // LEAK(fanout-early-exit)
}

func ncastOneReader() {
	ch := make(chan string)
	for _, replica := range []string{"a", "b", "c"} {
		go func(r string) {
			ch <- r // LEAK(ncast-one-reader)
		}(replica)
	}
	<-ch
}

func doubleSend() {
	out := make(chan error)
	go func() {
		if work() > 0 {
			out <- nil
		}
		out <- errors.New("cleanup failed") // LEAK(double-send)
	}()
	<-out
}

func timeoutAbandons() {
	done := make(chan int)
	go func() {
		time.Sleep(3 * time.Millisecond)
		done <- work() // LEAK(timeout-abandons-worker)
	}()
	select {
	case <-done:
	case <-time.After(time.Millisecond):
	}
}

// auditLog is read by nobody since the reader was removed; it stays reachable from a global.
var auditLog = make(chan string)

func globalChanSend() {
	auditLog <- "request served" // LEAK(global-chan-send)
}

func consumerQuitsEarly() {
	items := make(chan int)
	go produce(items)
	for v := range items {
		if v >= 2 {
			return // found what it wanted; the producer is left sending
		}
	}
}

func produce(items chan<- int) {
	for i := 0; ; i++ {
		items <- i // LEAK(consumer-quits-early)
	}
}

func errorChanFirstError() {
	errs := make(chan error)
	for i := 0; i < 3; i++ {
		go func(i int) {
			errs <- errors.New("shard failed") // LEAK(error-chan-first-error)
		}(i)
	}
	if err := <-errs; err != nil {
		return
	}
}

type job struct{ done chan struct{} }

func (j *job) Run() {
	work()
	j.done <- struct{}{} // LEAK(method-done-chan)
}

func methodDoneChan() {
	j := &job{done: make(chan struct{})}
	go j.Run()
	// The caller was told Run is fire-and-forget; it never reads done.
}

func bufferedFullRetry() {
	status := make(chan int, 1)
	go func() {
		status <- 1
		status <- 2 // LEAK(buffered-full-retry)
	}()
	<-time.After(time.Millisecond)
}

func pipelineStageAbandoned() {
	src := make(chan int)
	out := make(chan int)
	go func() {
		for i := 0; i < 3; i++ {
			src <- i // LEAK(pipeline-stage-abandoned): the source stage is left too
		}
		close(src)
	}()
	go func() {
		for v := range src {
			out <- v * 2 // LEAK(pipeline-stage-abandoned)
		}
		close(out)
	}()
	<-out // only the first value was wanted
}

func rangeNeverClosed() {
	lines := make(chan string)
	go func() {
		for line := range lines { // LEAK(range-never-closed)
			_ = line
		}
	}()
	lines <- "a"
	lines <- "b"
	// forgot close(lines)
}

func wrongChannelClosed() {
	quit := make(chan struct{})
	done := make(chan struct{})
	go func() {
		<-quit // LEAK(wrong-channel-closed)
	}()
	close(done) // meant close(quit)
}

type poller struct{ stop chan struct{} }

func (p *poller) Start() {
	go func() {
		<-p.stop // LEAK(start-without-stop)
	}()
}

func (p *poller) Stop() { close(p.stop) }

func startWithoutStop() {
	p := &poller{stop: make(chan struct{})}
	p.Start()
	// forgot p.Stop()
}

func tickerOutlives() {
	t := time.NewTicker(20 * time.Millisecond)
	go func() {
		for range t.C { // LEAK(ticker-outlives-caller)
		}
	}()
	// the caller returns without t.Stop() and without a way to end the loop
}

type call struct{ reply chan int }

func replyNeverSent() {
	c := call{reply: make(chan int)}
	go serveCall(c)
	go func() {
		<-c.reply // LEAK(reply-never-sent)
	}()
}

func serveCall(c call) {
	if validate() != nil {
		return // dropped without replying
	}
	c.reply <- 1
}

var configReloads = make(chan struct{})

func globalChanReceive() {
	<-configReloads // LEAK(global-chan-receive)
}

func cancelDropped() {
	ctx, _ := context.WithCancel(context.Background()) // the dropped cancel is the leak (go vet flags it)
	go func() {
		<-ctx.Done() // LEAK(cancel-dropped)
	}()
}

type broker struct {
	mu   sync.Mutex
	subs []chan string
}

var events = &broker{}

func subscriberNeverPublished() {
	ch := make(chan string)
	events.mu.Lock()
	events.subs = append(events.subs, ch)
	events.mu.Unlock()
	<-ch // LEAK(subscriber-never-published)
}

type conn struct{ closed chan struct{} }

func nilChanReceive() {
	c := &conn{} // closed was never made
	<-c.closed   // LEAK(nil-chan-receive)
}

func nilChanSend() {
	var c conn
	c.closed <- struct{}{} // LEAK(nil-chan-send)
}

func selectTwoNever() {
	a := make(chan int)
	b := make(chan int)
	go func() {
		select { // LEAK(select-two-never)
		case <-a:
		case <-b:
		}
	}()
}

func selectBackgroundCtx() {
	ctx := context.Background()
	updates := make(chan int)
	select { // LEAK(select-background-ctx)
	case <-ctx.Done():
	case <-updates:
	}
}

func selectStageAbandoned() {
	in := make(chan int)
	done := make(chan struct{})
	go func() {
		for {
			select { // LEAK(select-stage-abandoned)
			case v := <-in:
				_ = v
			case <-done:
				return
			}
		}
	}()
	// the stage is never fed and never stopped
}

func selectNoCases() {
	work()
	select {} // LEAK(select-no-cases)
}
