// Package config reads lockscore's configuration from flags and environment
// variables, applies defaults, validates every value and names the variable
// that is wrong.
package config

import (
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the whole server configuration.
type Config struct {
	Addr           string
	DatabaseURL    string
	CORSOrigins    []string
	RateLimitRPS   float64
	RateLimitBurst int
	// RateLimitBuckets bounds the rate limiter's memory: the most API keys
	// and client addresses it keeps a bucket for.
	RateLimitBuckets int
	TrustedProxies   []*net.IPNet
	BodyLimit        int64
	ImportBodyLimit  int64
	// BodyTimeout and BodyMinRate give a request body its deadline:
	// BodyTimeout plus its size at BodyMinRate bytes per second.
	BodyTimeout time.Duration
	BodyMinRate int64
	// MaxConns caps the connections held in all; MaxConnsPerIP those from
	// one client address (IPv6 by /64; trusted proxies are exempt).
	MaxConns      int
	MaxConnsPerIP int
	// MaxImports is how many imports one replica runs at once.
	MaxImports      int
	CacheMaxAge     time.Duration
	LogLevel        slog.Level
	LogFormat       string
	ShutdownTimeout time.Duration
	RequestTimeout  time.Duration
	SnapshotPoll    time.Duration
	DebugAddr       string
}

// Setting documents one configuration variable: its flag, environment
// variable, default and meaning. The --help text and the README table come
// from this list.
type Setting struct {
	Flag    string
	Env     string
	Default string
	Usage   string
	parse   func(c *Config, v string) error
}

// Settings lists every configuration variable.
var Settings = []Setting{
	{"addr", "LOCKSCORE_ADDR", ":8080", "address to listen on (host:port)", func(c *Config, v string) error {
		if _, _, err := net.SplitHostPort(v); err != nil {
			return errors.New("must be host:port, e.g. :8080")
		}
		c.Addr = v
		return nil
	}},
	{"database-url", "LOCKSCORE_DATABASE_URL", "./lockscore.db", "SQLite file path, or a postgres:// or postgresql:// URL", func(c *Config, v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("must not be empty")
		}
		if IsPostgres(v) {
			if _, err := url.Parse(v); err != nil {
				return fmt.Errorf("is not a valid URL: %v", err)
			}
		}
		c.DatabaseURL = v
		return nil
	}},
	{"cors-origins", "LOCKSCORE_CORS_ORIGINS", "", "comma-separated origins allowed to make write requests from browsers (reads are allowed from any origin)", func(c *Config, v string) error {
		c.CORSOrigins = nil
		for _, o := range splitList(v) {
			u, err := url.Parse(o)
			if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") {
				return fmt.Errorf("%q is not an origin like https://example.com", o)
			}
			c.CORSOrigins = append(c.CORSOrigins, strings.TrimSuffix(o, "/"))
		}
		return nil
	}},
	{"rate-limit-rps", "LOCKSCORE_RATE_LIMIT_RPS", "50", "requests per second allowed per API key or client IP, per replica (0 turns limiting off)", func(c *Config, v string) error {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f < 0 || f > 1e6 {
			return errors.New("must be a number from 0 to 1000000")
		}
		c.RateLimitRPS = f
		return nil
	}},
	{"rate-limit-burst", "LOCKSCORE_RATE_LIMIT_BURST", "100", "requests allowed in a burst per API key or client IP", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1e6 {
			return errors.New("must be a whole number from 1 to 1000000")
		}
		c.RateLimitBurst = n
		return nil
	}},
	{"rate-limit-buckets", "LOCKSCORE_RATE_LIMIT_BUCKETS", "100000", "most API keys and client addresses (IPv6 by /64) the rate limiter keeps a bucket for; the least recently seen is forgotten first", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 || n > 1e7 {
			return errors.New("must be a whole number from 100 to 10000000")
		}
		c.RateLimitBuckets = n
		return nil
	}},
	{"trusted-proxies", "LOCKSCORE_TRUSTED_PROXIES", "", "comma-separated CIDRs of reverse proxies whose X-Forwarded-For is believed; empty means use the connection's address", func(c *Config, v string) error {
		c.TrustedProxies = nil
		for _, s := range splitList(v) {
			if !strings.Contains(s, "/") {
				if ip := net.ParseIP(s); ip != nil {
					if ip.To4() != nil {
						s += "/32"
					} else {
						s += "/128"
					}
				}
			}
			_, n, err := net.ParseCIDR(s)
			if err != nil {
				return fmt.Errorf("%q is not a CIDR like 10.0.0.0/8", s)
			}
			c.TrustedProxies = append(c.TrustedProxies, n)
		}
		return nil
	}},
	{"body-limit", "LOCKSCORE_BODY_LIMIT", "1MiB", "largest request body (e.g. 512KiB, 1MiB)", func(c *Config, v string) error {
		n, err := ParseBytes(v)
		if err != nil {
			return err
		}
		c.BodyLimit = n
		return nil
	}},
	{"import-body-limit", "LOCKSCORE_IMPORT_BODY_LIMIT", "64MiB", "largest body for POST /api/v1/locks/import", func(c *Config, v string) error {
		n, err := ParseBytes(v)
		if err != nil {
			return err
		}
		c.ImportBodyLimit = n
		return nil
	}},
	{"body-timeout", "LOCKSCORE_BODY_TIMEOUT", "10s", "time a request body may take to arrive, plus its size at --body-min-rate (408 after)", func(c *Config, v string) error {
		d, err := parseDuration(v, 100*time.Millisecond, 10*time.Minute)
		c.BodyTimeout = d
		return err
	}},
	{"body-min-rate", "LOCKSCORE_BODY_MIN_RATE", "256KiB", "slowest rate a request body may arrive at, per second, beyond --body-timeout", func(c *Config, v string) error {
		n, err := ParseBytes(v)
		c.BodyMinRate = n
		return err
	}},
	{"max-conns", "LOCKSCORE_MAX_CONNS", "4096", "most connections held at once; more wait in the listen backlog", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1e6 {
			return errors.New("must be a whole number from 1 to 1000000")
		}
		c.MaxConns = n
		return nil
	}},
	{"max-conns-per-ip", "LOCKSCORE_MAX_CONNS_PER_IP", "64", "most connections held from one client address (IPv6 by /64); more are closed at once; trusted proxies are exempt", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 1e6 {
			return errors.New("must be a whole number from 1 to 1000000")
		}
		c.MaxConnsPerIP = n
		return nil
	}},
	{"max-imports", "LOCKSCORE_MAX_IMPORTS", "1", "imports one replica runs at once; more are a 503 with Retry-After at once", func(c *Config, v string) error {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 64 {
			return errors.New("must be a whole number from 1 to 64")
		}
		c.MaxImports = n
		return nil
	}},
	{"cache-max-age", "LOCKSCORE_CACHE_MAX_AGE", "60s", "Cache-Control max-age for public GET responses", func(c *Config, v string) error {
		d, err := parseDuration(v, 0, 24*time.Hour)
		c.CacheMaxAge = d
		return err
	}},
	{"log-level", "LOCKSCORE_LOG_LEVEL", "info", "debug, info, warn or error", func(c *Config, v string) error {
		return c.LogLevel.UnmarshalText([]byte(v))
	}},
	{"log-format", "LOCKSCORE_LOG_FORMAT", "json", "json or text", func(c *Config, v string) error {
		if v != "json" && v != "text" {
			return errors.New("must be json or text")
		}
		c.LogFormat = v
		return nil
	}},
	{"shutdown-timeout", "LOCKSCORE_SHUTDOWN_TIMEOUT", "15s", "how long in-flight requests may run after SIGTERM", func(c *Config, v string) error {
		d, err := parseDuration(v, time.Millisecond, 10*time.Minute)
		c.ShutdownTimeout = d
		return err
	}},
	{"request-timeout", "LOCKSCORE_REQUEST_TIMEOUT", "30s", "deadline of one request's context (database work stops when it passes)", func(c *Config, v string) error {
		d, err := parseDuration(v, time.Millisecond, 10*time.Minute)
		c.RequestTimeout = d
		return err
	}},
	{"snapshot-poll", "LOCKSCORE_SNAPSHOT_POLL", "500ms", "how often a replica checks the database for changes made through other replicas", func(c *Config, v string) error {
		d, err := parseDuration(v, 10*time.Millisecond, time.Minute)
		c.SnapshotPoll = d
		return err
	}},
	{"debug-addr", "LOCKSCORE_DEBUG_ADDR", "", "address for Go's pprof profiler (e.g. 127.0.0.1:6060); empty turns it off; never expose it publicly", func(c *Config, v string) error {
		if v != "" {
			if _, _, err := net.SplitHostPort(v); err != nil {
				return errors.New("must be host:port, e.g. 127.0.0.1:6060, or empty")
			}
		}
		c.DebugAddr = v
		return nil
	}},
}

// IsPostgres reports whether a database URL names PostgreSQL rather than a SQLite file.
func IsPostgres(dsn string) bool {
	return strings.HasPrefix(dsn, "postgres://") || strings.HasPrefix(dsn, "postgresql://")
}

// Error is a configuration error naming the variable at fault.
type Error struct {
	Env, Flag, Value, Problem string
}

func (e *Error) Error() string {
	return fmt.Sprintf("config: %s (--%s) = %q: %s", e.Env, e.Flag, e.Value, e.Problem)
}

// Load builds a Config from defaults, then the environment (getenv), then
// command-line flags in args, which win. It returns the first invalid value
// as an *Error.
func Load(getenv func(string) string, args []string) (Config, error) {
	var c Config
	values := map[string]string{}
	for _, s := range Settings {
		values[s.Flag] = s.Default
		if v, ok := lookup(getenv, s.Env); ok {
			values[s.Flag] = v
		}
	}
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.Usage = func() {}
	fs.SetOutput(discard{})
	set := map[string]*string{}
	for _, s := range Settings {
		set[s.Flag] = fs.String(s.Flag, values[s.Flag], s.Usage)
	}
	if err := fs.Parse(args); err != nil {
		return c, fmt.Errorf("config: %w", err)
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("config: unexpected argument %q", fs.Arg(0))
	}
	for _, s := range Settings {
		v := *set[s.Flag]
		if err := s.parse(&c, strings.TrimSpace(v)); err != nil {
			return c, &Error{Env: s.Env, Flag: s.Flag, Value: v, Problem: err.Error()}
		}
	}
	return c, nil
}

func lookup(getenv func(string) string, key string) (string, bool) {
	v := getenv(key)
	return v, v != ""
}

// Usage returns the --help text for the settings.
func Usage() string {
	var b strings.Builder
	for _, s := range Settings {
		fmt.Fprintf(&b, "  --%s (%s, default %q)\n        %s\n", s.Flag, s.Env, s.Default, s.Usage)
	}
	return b.String()
}

// Masked returns the configuration as log attributes, with any password in
// the database URL replaced.
func (c Config) Masked() []any {
	proxies := make([]string, len(c.TrustedProxies))
	for i, p := range c.TrustedProxies {
		proxies[i] = p.String()
	}
	return []any{
		"addr", c.Addr, "database_url", MaskDSN(c.DatabaseURL), "cors_origins", c.CORSOrigins,
		"rate_limit_rps", c.RateLimitRPS, "rate_limit_burst", c.RateLimitBurst, "rate_limit_buckets", c.RateLimitBuckets, "trusted_proxies", proxies,
		"body_limit", c.BodyLimit, "import_body_limit", c.ImportBodyLimit,
		"body_timeout", c.BodyTimeout.String(), "body_min_rate", c.BodyMinRate, "max_conns", c.MaxConns, "max_conns_per_ip", c.MaxConnsPerIP, "max_imports", c.MaxImports, "cache_max_age", c.CacheMaxAge.String(),
		"log_level", c.LogLevel.String(), "log_format", c.LogFormat, "shutdown_timeout", c.ShutdownTimeout.String(),
		"request_timeout", c.RequestTimeout.String(), "snapshot_poll", c.SnapshotPoll.String(), "debug_addr", c.DebugAddr,
	}
}

// MaskDSN hides the password of a database URL.
func MaskDSN(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable)"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	q := u.Query()
	if q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.String()
}

// ParseBytes reads a size such as 1048576, 512KiB, 1MiB, 1MB or 2GiB.
func ParseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	units := []struct {
		suffix string
		mult   int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}, {"K", 1 << 10}, {"M", 1 << 20}, {"G", 1 << 30}, {"B", 1}}
	mult := int64(1)
	for _, u := range units {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.mult
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 || n > (1<<40)/mult {
		return 0, errors.New("must be a positive size such as 1048576, 512KiB or 1MiB")
	}
	return n * mult, nil
}

func parseDuration(v string, min, max time.Duration) (time.Duration, error) {
	d, err := time.ParseDuration(v)
	if err != nil {
		if n, nerr := strconv.Atoi(v); nerr == nil {
			d, err = time.Duration(n)*time.Second, nil
		}
	}
	if err != nil || d < min || d > max {
		return 0, fmt.Errorf("must be a duration such as 15s or 500ms, from %v to %v", min, max)
	}
	return d, nil
}

func splitList(v string) []string {
	var out []string
	for _, p := range strings.Split(v, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
