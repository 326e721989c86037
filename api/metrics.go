package api

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/labstack/echo/v4"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/lockscore/lockscore/internal/catalogue"
)

// metrics are the server's Prometheus collectors, in a registry of its own
// so that several servers (tests, replicas in one process) never collide.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	latency     *prometheus.HistogramVec
	rateLimited prometheus.Counter
	// clientAborted counts requests whose client stalled (408) or went
	// away (499) before its body arrived: not server errors.
	clientAborted *prometheus.CounterVec
	// observers holds the collectors of each (route, method, status) seen,
	// so a request does not look its labels up (hash, check, lock) in the
	// vectors again: routes, methods and statuses are bounded sets.
	observers sync.Map // observerKey -> *observer
}

type observerKey struct {
	route, method string
	status        int
}

type observer struct {
	status   int
	requests prometheus.Counter
	latency  prometheus.Observer
}

// routeObs holds, per method (metricMethod's index), the observer a
// route's last request of that method used: almost every request finds
// its (route, method, status) there without hashing the labels.
type routeObs struct {
	last [8]atomic.Pointer[observer]
}

func newMetrics(cat *catalogue.Service) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lockscore_http_requests_total", Help: "HTTP requests by route, method and status.",
	}, []string{"route", "method", "status"})
	m.latency = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "lockscore_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "method"})
	m.rateLimited = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "lockscore_rate_limited_total", Help: "Requests refused by the rate limiter.",
	})
	m.clientAborted = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "lockscore_client_aborted_total", Help: "Requests whose client stalled (reason stalled, answered 408) or closed the connection (closed, logged as 499).",
	}, []string{"reason"})
	m.clientAborted.WithLabelValues("stalled")
	m.clientAborted.WithLabelValues("closed")
	snap := func(f func(*catalogue.Snapshot) float64) func() float64 {
		return func() float64 {
			if s := cat.Snapshot(); s != nil {
				return f(s)
			}
			return 0
		}
	}
	m.reg.MustRegister(m.requests, m.latency, m.rateLimited, m.clientAborted,
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lockscore_catalogue_locks", Help: "Live lock models in the served snapshot."},
			snap(func(s *catalogue.Snapshot) float64 { return float64(s.Len()) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lockscore_snapshot_revision", Help: "Catalogue revision of the served snapshot."},
			snap(func(s *catalogue.Snapshot) float64 { return float64(s.Revision) })),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "lockscore_snapshot_age_seconds", Help: "Seconds since the served snapshot was built."},
			snap(func(s *catalogue.Snapshot) float64 { return time.Since(s.BuiltAt).Seconds() })),
		collectors.NewDBStatsCollector(cat.Store().ReadDB(), "read"),
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	if w := cat.Store().WriteDB(); w != cat.Store().ReadDB() {
		m.reg.MustRegister(collectors.NewDBStatsCollector(w, "write"))
	}
	return m
}

// observe counts a request of route (ro its shortcuts) and method (mi
// its index) that was answered with status after d.
func (m *metrics) observe(ro *routeObs, mi int, route, method string, status int, d time.Duration) {
	o := ro.last[mi].Load()
	if o == nil || o.status != status {
		k := observerKey{route, method, status}
		v, ok := m.observers.Load(k)
		if !ok {
			v, _ = m.observers.LoadOrStore(k, &observer{status: status, requests: m.requests.WithLabelValues(route, method, strconv.Itoa(status)),
				latency: m.latency.WithLabelValues(route, method)})
		}
		o = v.(*observer)
		ro.last[mi].Store(o)
	}
	o.requests.Inc()
	o.latency.Observe(d.Seconds())
}

func (m *metrics) handler() echo.HandlerFunc {
	return echo.WrapHandler(promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{}))
}
