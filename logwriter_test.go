package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer safe to read while the flusher writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Lines reach the output on the flusher's tick and, at the latest, on Close;
// concurrent writers never interleave inside a line.
func TestBufferedLogFlushes(t *testing.T) {
	out := &lockedBuffer{}
	log := newBufferedLog(out, 10*time.Millisecond)
	if _, err := log.Write([]byte("first\n")); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(out.String(), "first\n") {
		if time.Now().After(deadline) {
			t.Fatal("a line was not flushed on the tick")
		}
		time.Sleep(5 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 200; j++ {
				_, _ = log.Write([]byte("a whole line of text\n"))
			}
		}()
	}
	wg.Wait()
	if err := log.Close(); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
	if len(lines) != 1+8*200 {
		t.Fatalf("%d lines after Close, want %d", len(lines), 1+8*200)
	}
	for _, l := range lines[1:] {
		if l != "a whole line of text" {
			t.Fatalf("an interleaved line: %q", l)
		}
	}
}
