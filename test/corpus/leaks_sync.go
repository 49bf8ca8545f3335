package main

// Leaks on sync primitives: each blocking line carries LEAK(name).

import (
	"sync"
	"time"
)

func init() {
	register(&Scenario{Name: "mutex-never-unlocked", Kind: "leak", Wait: "sync.Mutex.Lock", Pattern: "an early return skipped Unlock; every later caller blocks", request: mutexNeverUnlocked})
	register(&Scenario{Name: "lock-order-deadlock", Kind: "leak", Wait: "sync.Mutex.Lock", Pattern: "two goroutines take two locks in opposite order", request: lockOrderDeadlock})
	register(&Scenario{Name: "rwmutex-readers-blocked", Kind: "leak", Wait: "sync.RWMutex.RLock", Pattern: "a writer never unlocks; readers pile up", request: rwmutexReadersBlocked})
	register(&Scenario{Name: "rwmutex-writers-blocked", Kind: "leak", Wait: "sync.RWMutex.Lock", Pattern: "a reader never RUnlocks; writers pile up", request: rwmutexWritersBlocked})
	register(&Scenario{Name: "waitgroup-add-too-many", Kind: "leak", Wait: "sync.WaitGroup.Wait", Pattern: "Add counts one worker too many", request: waitgroupAddTooMany})
	register(&Scenario{Name: "waitgroup-done-skipped", Kind: "leak", Wait: "sync.WaitGroup.Wait", Pattern: "a worker returns early without Done", request: waitgroupDoneSkipped})
	register(&Scenario{Name: "cond-never-signalled", Kind: "leak", Wait: "sync.Cond.Wait", Pattern: "Wait on a Cond nobody signals", request: condNeverSignalled})
	register(&Scenario{Name: "cond-lost-wakeup", Kind: "leak", Wait: "sync.Cond.Wait", Pattern: "Signal before Wait without a predicate: the wakeup is lost", request: condLostWakeup})
}

type account struct {
	mu      sync.Mutex
	balance int
}

// bank is shared by every request; one early return leaves its lock held forever.
var bank = &account{balance: 1}

func (a *account) withdraw(n int) bool {
	a.mu.Lock() // LEAK(mutex-never-unlocked)
	if a.balance < n {
		return false // forgot a.mu.Unlock()
	}
	a.balance -= n
	a.mu.Unlock()
	return true
}

func mutexNeverUnlocked() { bank.withdraw(5) }

func lockOrderDeadlock() {
	var a, b sync.Mutex
	go func() {
		a.Lock()
		time.Sleep(time.Millisecond)
		b.Lock() // LEAK(lock-order-deadlock)
	}()
	go func() {
		b.Lock()
		time.Sleep(time.Millisecond)
		a.Lock() // LEAK(lock-order-deadlock)
	}()
}

type cache struct {
	mu   sync.RWMutex
	data map[string]int
}

var (
	readCache  = &cache{data: map[string]int{}}
	writeCache = &cache{data: map[string]int{}}
	lockOnce   sync.Once
)

func (c *cache) get(k string) int {
	c.mu.RLock() // LEAK(rwmutex-readers-blocked)
	defer c.mu.RUnlock()
	return c.data[k]
}

func (c *cache) put(k string, v int) {
	c.mu.Lock() // LEAK(rwmutex-writers-blocked)
	c.data[k] = v
	c.mu.Unlock()
}

func rwmutexReadersBlocked() {
	lockOnce.Do(func() { readCache.mu.Lock() }) // a reload that never finished
	readCache.get("k")
}

var leakedRead sync.Once

func rwmutexWritersBlocked() {
	leakedRead.Do(func() { writeCache.mu.RLock() }) // a reader that returned without RUnlock
	writeCache.put("k", 1)
}

func waitgroupAddTooMany() {
	var wg sync.WaitGroup
	wg.Add(3)
	for i := 0; i < 2; i++ {
		go func() {
			defer wg.Done()
			work()
		}()
	}
	go func() {
		wg.Wait() // LEAK(waitgroup-add-too-many)
	}()
}

func waitgroupDoneSkipped() {
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func(i int) {
			if i == 1 {
				return // forgot wg.Done()
			}
			wg.Done()
		}(i)
	}
	wg.Wait() // LEAK(waitgroup-done-skipped)
}

func condNeverSignalled() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	go func() {
		mu.Lock()
		c.Wait() // LEAK(cond-never-signalled)
		mu.Unlock()
	}()
}

func condLostWakeup() {
	var mu sync.Mutex
	c := sync.NewCond(&mu)
	c.Signal() // nobody waits yet: lost
	mu.Lock()
	c.Wait() // LEAK(cond-lost-wakeup)
	mu.Unlock()
}
