package web

import (
	"net/url"
	"slices"
	"strings"

	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// The pages keep all their state in the query string, so every answer can
// be shared as a link and the back button walks through them. Parsing is
// as strict as the API's: an unknown name or an out-of-vocabulary value is
// a 400 that names it.

var (
	checklistParams = []string{"door_type", "other_keyed_door", "other_door_same_keyring", "cylinder_rating",
		"cylinder_emergency_function", "key_safe", "keyholder_nearby", "remote_helper", "occupants"}
	filterParams = []string{"market", "brand", "form_factor"}
)

type fieldError struct{ Field, Message string }

type form struct {
	vals url.Values
	errs []fieldError
}

// newForm reads the query and refuses names outside allowed.
func newForm(raw string, allowed ...[]string) *form {
	f := &form{}
	v, err := url.ParseQuery(raw)
	if err != nil {
		f.fail("query", "is not a valid query string")
	}
	f.vals = v
	for name := range v {
		ok := false
		for _, list := range allowed {
			ok = ok || slices.Contains(list, name)
		}
		if !ok {
			f.fail(name, "is not a question on this page"+suggestion(name, allowed))
		}
	}
	slices.SortFunc(f.errs, func(a, b fieldError) int { return strings.Compare(a.Field, b.Field) })
	return f
}

func suggestion(name string, allowed [][]string) string {
	var all []string
	for _, l := range allowed {
		all = append(all, l...)
	}
	return scoring.Suggest(name, all)
}

func (f *form) fail(field, msg string) { f.errs = append(f.errs, fieldError{field, msg}) }

// one returns the last non-empty value of name ("" when absent or empty).
func (f *form) one(name string) string {
	vs := f.vals[name]
	for i := len(vs) - 1; i >= 0; i-- {
		if s := strings.TrimSpace(vs[i]); s != "" {
			return s
		}
	}
	return ""
}

// list returns every value of name, comma-separated or repeated.
func (f *form) list(name string) []string {
	var out []string
	for _, v := range f.vals[name] {
		for _, p := range strings.Split(v, ",") {
			if p = strings.TrimSpace(p); p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

func (f *form) choice(name string, allowed []string) string {
	v := f.one(name)
	if v != "" && !slices.Contains(allowed, v) {
		f.fail(name, "must be one of: "+strings.Join(allowed, ", "))
		return ""
	}
	return v
}

// boolean reads a yes/no answer; "" (or absent) is "don't know".
func (f *form) boolean(name string) *bool {
	switch f.one(name) {
	case "":
		return nil
	case "true":
		return scoring.Ptr(true)
	case "false":
		return scoring.Ptr(false)
	}
	f.fail(name, "must be true or false (or empty for \"don't know\")")
	return nil
}

func values(opts []option) []string {
	out := make([]string, len(opts))
	for i, o := range opts {
		out[i] = o.Value
	}
	return out
}

// checklist is the door and household as the form asks them, with the
// market and the result filters.
type checklist struct {
	Ctx        scoring.Context
	Market     string
	Brand      string
	FormFactor string
}

func (f *form) checklist() checklist {
	var c checklist
	if d := f.choice("door_type", scoring.DoorTypes); d != "" {
		c.Ctx.DoorType = scoring.Ptr(scoring.DoorType(d))
	}
	if r := f.choice("cylinder_rating", values(cylinderRatingOptions)); r != "" {
		c.Ctx.CylinderRating = scoring.Ptr(scoring.CylinderRating(r))
	}
	c.Ctx.OtherKeyedDoor = f.boolean("other_keyed_door")
	c.Ctx.OtherDoorSameKeyring = f.boolean("other_door_same_keyring")
	c.Ctx.CylinderEmergencyFunction = f.boolean("cylinder_emergency_function")
	c.Ctx.KeySafe = f.boolean("key_safe")
	c.Ctx.KeyholderNearby = f.boolean("keyholder_nearby")
	c.Ctx.RemoteHelper = f.boolean("remote_helper")
	for _, o := range f.list("occupants") {
		if !slices.Contains(scoring.OccupantValues, o) {
			f.fail("occupants", "must be any of: "+strings.Join(scoring.OccupantValues, ", "))
			continue
		}
		c.Ctx.Occupants = append(c.Ctx.Occupants, scoring.Occupant(o))
	}
	c.Market = f.choice("market", models.Markets)
	c.Brand = f.one("brand")
	if len(c.Brand) > 100 {
		f.fail("brand", "must be at most 100 characters")
		c.Brand = ""
	}
	c.FormFactor = f.choice("form_factor", models.FormFactors)
	return c
}

// pairs is the context as query pairs in a fixed order: links, hidden
// inputs and cache keys all use it.
func ctxPairs(c *scoring.Context) [][2]string {
	var out [][2]string
	if c.DoorType != nil {
		out = append(out, [2]string{"door_type", string(*c.DoorType)})
	}
	b := func(name string, v *bool) {
		if v != nil {
			if *v {
				out = append(out, [2]string{name, "true"})
			} else {
				out = append(out, [2]string{name, "false"})
			}
		}
	}
	b("other_keyed_door", c.OtherKeyedDoor)
	b("other_door_same_keyring", c.OtherDoorSameKeyring)
	if c.CylinderRating != nil {
		out = append(out, [2]string{"cylinder_rating", string(*c.CylinderRating)})
	}
	b("cylinder_emergency_function", c.CylinderEmergencyFunction)
	b("key_safe", c.KeySafe)
	b("keyholder_nearby", c.KeyholderNearby)
	b("remote_helper", c.RemoteHelper)
	for _, o := range c.Occupants {
		out = append(out, [2]string{"occupants", string(o)})
	}
	return out
}

func encodePairs(p [][2]string) string {
	var b strings.Builder
	for i, kv := range p {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(kv[0]))
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(kv[1]))
	}
	return b.String()
}

// withQuery appends a query string to path when there is one.
func withQuery(path, q string) string {
	if q == "" {
		return path
	}
	return path + "?" + q
}

// ctxSummary says the context back in words, for the top of a page.
func ctxSummary(c *scoring.Context) []string {
	var out []string
	if c.DoorType != nil {
		out = append(out, "Door: "+labelOf(doorTypeOptions, string(*c.DoorType)))
	}
	if isTrue(c.OtherKeyedDoor) {
		if isTrue(c.OtherDoorSameKeyring) {
			out = append(out, "Another door opens with a key, on the same key ring")
		} else {
			out = append(out, "Another door opens with a key, on a separate key ring")
		}
	}
	if c.CylinderRating != nil {
		out = append(out, "Cylinder: "+labelOf(cylinderRatingOptions, string(*c.CylinderRating)))
	}
	if c.CylinderEmergencyFunction != nil {
		if *c.CylinderEmergencyFunction {
			out = append(out, "The cylinder has the emergency function")
		} else {
			out = append(out, "The cylinder has no emergency function")
		}
	}
	if isTrue(c.KeySafe) {
		out = append(out, "A key safe holds a spare key")
	}
	if isTrue(c.KeyholderNearby) {
		out = append(out, "Someone nearby keeps a key")
	}
	if isTrue(c.RemoteHelper) {
		out = append(out, "Someone can open it remotely")
	}
	for _, o := range c.Occupants {
		out = append(out, labelOf(occupantOptions, string(o)))
	}
	return out
}

func isTrue(b *bool) bool { return b != nil && *b }
