package api

import (
	"io"
	"net/url"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// query reads query parameters strictly: an unknown name, a repeated
// single-valued name or a bad value becomes a field error, and all of them
// are reported together.
type query struct {
	vals url.Values
	errs []models.FieldError
}

func newQuery(c echo.Context, allowed ...[]string) *query {
	q := &query{vals: c.QueryParams()}
	ok := map[string]bool{}
	var all []string
	for _, list := range allowed {
		for _, n := range list {
			ok[n] = true
			all = append(all, n)
		}
	}
	names := make([]string, 0, len(q.vals))
	for n := range q.vals {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if !ok[n] {
			q.fail(n, "unknown query parameter"+suggestion(n, all))
		}
	}
	return q
}

// noQueryParameters refuses any query parameter on a route that takes none,
// so a typo such as ?dryrun=true on a write is a 400, not silently ignored.
func noQueryParameters(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		if err := newQuery(c).err(); err != nil {
			return err
		}
		return next(c)
	}
}

func suggestion(name string, allowed []string) string { return scoring.Suggest(name, allowed) }

func (q *query) fail(field, msg string) {
	q.errs = append(q.errs, models.FieldError{Field: field, Message: msg})
}

func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return models.Invalid("invalid query parameters", q.errs)
}

func (q *query) has(name string) bool { return len(q.vals[name]) > 0 }

// one returns a single-valued parameter ("" when absent).
func (q *query) one(name string) string {
	v := q.vals[name]
	if len(v) > 1 {
		q.fail(name, "must be given once")
	}
	if len(v) == 0 {
		return ""
	}
	return strings.TrimSpace(v[0])
}

// list returns a repeatable, comma-separated parameter's values, each
// checked against allowed (nil allows anything) case-insensitively and
// returned in its canonical spelling, so market=uk is market=UK.
func (q *query) list(name string, allowed []string) []string {
	var out []string
	for _, v := range q.vals[name] {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if p == "" {
				continue
			}
			if allowed != nil {
				c, ok := canonical(allowed, p)
				if !ok {
					q.fail(name, strconv.Quote(p)+" is not one of: "+strings.Join(allowed, ", "))
					continue
				}
				p = c
			}
			if !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	if len(q.vals[name]) > 0 && len(out) == 0 && len(q.errs) == 0 {
		q.fail(name, "must not be empty")
	}
	return out
}

func (q *query) boolean(name string) *bool {
	s := q.one(name)
	if s == "" {
		if q.has(name) {
			q.fail(name, "must be true or false")
		}
		return nil
	}
	switch strings.ToLower(s) {
	case "true", "1":
		b := true
		return &b
	case "false", "0":
		b := false
		return &b
	}
	q.fail(name, "must be true or false")
	return nil
}

func (q *query) number(name string, lo, hi float64) *float64 {
	s := q.one(name)
	if s == "" {
		if q.has(name) {
			q.fail(name, "must be a number")
		}
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < lo || f > hi || f != f {
		q.fail(name, "must be a number from "+strconv.FormatFloat(lo, 'f', -1, 64)+" to "+strconv.FormatFloat(hi, 'f', -1, 64))
		return nil
	}
	return &f
}

func (q *query) timestamp(name string) *time.Time {
	s := q.one(name)
	if s == "" {
		if q.has(name) {
			q.fail(name, "must be an RFC 3339 time such as 2026-01-31T00:00:00Z")
		}
		return nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		if d, derr := time.Parse("2006-01-02", s); derr == nil {
			t, err = d, nil
		}
	}
	if err != nil {
		q.fail(name, "must be an RFC 3339 time such as 2026-01-31T00:00:00Z")
		return nil
	}
	t = t.UTC()
	return &t
}

// methodology reads version=: the methodology with that version, or
// inForce when none is asked for.
func (q *query) methodology(inForce *scoring.Methodology) *scoring.Methodology {
	v := q.one("version")
	if v == "" {
		return inForce
	}
	m := scoring.MethodologyByVersion(v)
	if m == nil {
		q.fail("version", "must be one of: 1, 2")
	}
	return m
}

// context reads the context parameters.
func (q *query) context() scoring.Context { return q.contextWithout("") }

// contextWithout reads the context parameters other than skip.
func (q *query) contextWithout(skip string) scoring.Context {
	var c scoring.Context
	for _, name := range scoring.ContextFields {
		if !q.has(name) || name == skip {
			continue
		}
		var v string
		switch name {
		case "occupants":
			parts := strings.Split(strings.Join(q.vals[name], ","), ",")
			for i, p := range parts {
				parts[i], _ = canonical(scoring.OccupantValues, strings.TrimSpace(p))
			}
			v = strings.Join(parts, ",")
		case "door_type":
			v, _ = canonical(scoring.DoorTypes, q.one(name))
		default:
			v = q.one(name)
		}
		if err := c.SetField(name, v); err != nil {
			if fe, ok := scoring.AsFieldErrors(err); ok {
				for _, f := range fe {
					q.fail(f.Field, f.Message)
				}
			}
		}
	}
	return c
}

// canonical returns the spelling in allowed of v, matched exactly or else
// case-insensitively; v itself and false when none matches.
func canonical(allowed []string, v string) (string, bool) {
	if slices.Contains(allowed, v) {
		return v, true
	}
	for _, a := range allowed {
		if strings.EqualFold(a, v) {
			return a, true
		}
	}
	return v, false
}

// readJSONBody reads a request body that must be JSON.
func readJSONBody(c echo.Context) ([]byte, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if ct != "" && !strings.HasPrefix(ct, echo.MIMEApplicationJSON) && !strings.HasPrefix(ct, "application/merge-patch+json") {
		return nil, models.Errorf(models.KindUnsupportedMedia, "the body must be application/json")
	}
	body, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	return body, nil
}
