package api

import (
	"net"
	"net/netip"
	"sync"
)

// capListener bounds the connections a server holds: at most perIP from
// one client address (IPv6 by /64) and total in all (issue 12 #11). A
// connection over the per-address cap is closed at once; over the total
// cap, Accept waits for one to end, as netutil.LimitListener does, so the
// kernel's backlog holds the rest. Addresses in exempt (trusted proxies,
// which carry many clients) have no per-address cap.
type capListener struct {
	net.Listener
	perIP  int
	slots  chan struct{}
	exempt func(netip.Addr) bool

	mu   sync.Mutex
	open map[netip.Prefix]int
}

func newCapListener(ln net.Listener, total, perIP int, exempt func(netip.Addr) bool) *capListener {
	return &capListener{Listener: ln, perIP: perIP, slots: make(chan struct{}, total), exempt: exempt, open: map[netip.Prefix]int{}}
}

func (l *capListener) Accept() (net.Conn, error) {
	for {
		l.slots <- struct{}{}
		c, err := l.Listener.Accept()
		if err != nil {
			<-l.slots
			return nil, err
		}
		key, ok := l.admit(c)
		if !ok {
			<-l.slots
			c.Close()
			continue
		}
		return &cappedConn{Conn: c, l: l, key: key}, nil
	}
}

// admit counts c against its address, reporting false over the cap.
func (l *capListener) admit(c net.Conn) (netip.Prefix, bool) {
	ap, err := netip.ParseAddrPort(c.RemoteAddr().String())
	if err != nil {
		return netip.Prefix{}, true
	}
	a := ap.Addr().Unmap()
	if l.exempt != nil && l.exempt(a) {
		return netip.Prefix{}, true
	}
	bits := 32
	if a.Is6() {
		bits = 64
	}
	key, _ := a.Prefix(bits)
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.open[key] >= l.perIP {
		return key, false
	}
	l.open[key]++
	return key, true
}

func (l *capListener) release(key netip.Prefix) {
	if key.IsValid() {
		l.mu.Lock()
		if l.open[key]--; l.open[key] <= 0 {
			delete(l.open, key)
		}
		l.mu.Unlock()
	}
	<-l.slots
}

type cappedConn struct {
	net.Conn
	l    *capListener
	key  netip.Prefix
	once sync.Once
}

func (c *cappedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(func() { c.l.release(c.key) })
	return err
}
