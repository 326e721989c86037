package config

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestDefaults(t *testing.T) {
	c, err := Load(env(nil), nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":8080" || c.DatabaseURL != "./lockscore.db" || c.BodyLimit != 1<<20 || c.CacheMaxAge != time.Minute || c.LogFormat != "json" {
		t.Fatalf("defaults %+v", c)
	}
}

func TestBadValuesAreRefusedByName(t *testing.T) {
	for _, tt := range []struct{ env, value string }{
		{"LOCKSCORE_ADDR", "8080"},
		{"LOCKSCORE_RATE_LIMIT_RPS", "fast"},
		{"LOCKSCORE_RATE_LIMIT_BURST", "0"},
		{"LOCKSCORE_TRUSTED_PROXIES", "10.0.0.0/33"},
		{"LOCKSCORE_CORS_ORIGINS", "example.com"},
		{"LOCKSCORE_BODY_LIMIT", "lots"},
		{"LOCKSCORE_IMPORT_BODY_LIMIT", "-1"},
		{"LOCKSCORE_CACHE_MAX_AGE", "forever"},
		{"LOCKSCORE_LOG_LEVEL", "loud"},
		{"LOCKSCORE_LOG_FORMAT", "xml"},
		{"LOCKSCORE_SHUTDOWN_TIMEOUT", "0s"},
	} {
		_, err := Load(env(map[string]string{tt.env: tt.value}), nil)
		var ce *Error
		if !errors.As(err, &ce) || ce.Env != tt.env || !strings.Contains(err.Error(), tt.env) {
			t.Errorf("%s=%q: got %v, want an error naming it", tt.env, tt.value, err)
		}
	}
}

func TestFlagsOverrideEnvironment(t *testing.T) {
	c, err := Load(env(map[string]string{"LOCKSCORE_ADDR": ":9000", "LOCKSCORE_TRUSTED_PROXIES": "10.0.0.0/8, 192.168.1.1"}), []string{"--addr", ":9100", "--body-limit", "512KiB"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != ":9100" || c.BodyLimit != 512<<10 || len(c.TrustedProxies) != 2 {
		t.Fatalf("%+v", c)
	}
	if _, err := Load(env(nil), []string{"--no-such-flag"}); err == nil {
		t.Fatal("unknown flag accepted")
	}
}

func TestMaskedHidesPasswords(t *testing.T) {
	c, err := Load(env(map[string]string{"LOCKSCORE_DATABASE_URL": "postgres://app:s3cret@db:5432/lockscore?sslmode=disable"}), nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range c.Masked() {
		if s, ok := a.(string); ok && strings.Contains(s, "s3cret") {
			t.Fatal("password printed")
		}
	}
}

// FuzzSettingValues gives one setting any value: Load never panics, and a
// refusal names that setting's variable.
func FuzzSettingValues(f *testing.F) {
	for i, s := range Settings {
		f.Add(i, s.Default)
		f.Add(i, "-1")
	}
	f.Add(0, "[::1]:8080")
	f.Add(5, "10.0.0.0/8,::1/128")
	f.Fuzz(func(t *testing.T, i int, value string) {
		if i < 0 {
			i = -i
		}
		s := Settings[i%len(Settings)]
		_, err := Load(func(k string) string {
			if k == s.Env {
				return value
			}
			return ""
		}, nil)
		var ce *Error
		if err != nil && (!errors.As(err, &ce) || ce.Env != s.Env) {
			t.Fatalf("%s=%q: %v, not an error naming %s", s.Env, value, err, s.Env)
		}
	})
}
