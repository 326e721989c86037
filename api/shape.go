package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"sort"
	"strconv"
	"strings"

	"github.com/lockscore/lockscore/internal/catalogue"
)

// This file shapes responses for pages that want one request each:
// expand=lock adds each lock's catalogue summary to ranking and compare
// rows, and fields= keeps only the named fields of a response.

// LockSummary is a lock model's catalogue summary, added to rows by expand=lock.
type LockSummary struct {
	Brand      string           `json:"brand" example:"Yale"`
	Model      string           `json:"model" example:"Conexis L2"`
	Markets    []string         `json:"markets" example:"UK"`
	FormFactor string           `json:"form_factor" example:"euro_cylinder_motorised"`
	DoorTypes  []string         `json:"door_types" example:"uk_multipoint"`
	Status     string           `json:"status" example:"current"`
	Price      *catalogue.Price `json:"price" extensions:"x-nullable"`
	ProductURL *string          `json:"product_url" example:"https://www.yale.co.uk/" extensions:"x-nullable"`
}

func lockSummary(r *catalogue.LockRecord) *LockSummary {
	s := &LockSummary{Brand: r.Brand, Model: r.Model, Markets: r.Markets, FormFactor: r.FormFactor, DoorTypes: r.DoorTypes,
		Status: r.Status, Price: r.Price, ProductURL: r.ProductURL}
	if s.Markets == nil {
		s.Markets = []string{}
	}
	if s.DoorTypes == nil {
		s.DoorTypes = []string{}
	}
	return s
}

// expandLock reads expand= (only "lock" so far).
func expandLock(q *query) bool {
	return len(q.list("expand", []string{"lock"})) > 0
}

// fieldTree is a parsed fields= selection: a leaf keeps its whole value.
type fieldTree struct {
	leaf     bool
	children map[string]*fieldTree
}

// parseFields reads fields= for a response of type t. Each path is dotted
// JSON names ("items.lock.product_url"; lists are looked through); an
// unknown name is a 400 naming the path, with the names it could be.
// expanded says whether expand=lock was given: a lock path needs it.
func parseFields(q *query, t reflect.Type, expanded bool) *fieldTree {
	if !q.has("fields") {
		return nil
	}
	paths := q.list("fields", nil)
	root := &fieldTree{}
	for _, path := range paths {
		node, typ := root, t
		for i, name := range strings.Split(path, ".") {
			names := jsonFields(typ)
			ft, ok := names[name]
			if !ok {
				q.fail("fields", strconv.Quote(path)+" is not a field"+at(path, i)+suggestion(name, sortedKeys(names)))
				node = nil
				break
			}
			if !expanded && ft == reflect.TypeOf(&LockSummary{}) {
				q.fail("fields", strconv.Quote(path)+" needs expand=lock")
				node = nil
				break
			}
			if node.leaf {
				break // an ancestor is kept whole
			}
			if node.children == nil {
				node.children = map[string]*fieldTree{}
			}
			next := node.children[name]
			if next == nil {
				next = &fieldTree{}
				node.children[name] = next
			}
			node, typ = next, ft
		}
		if node != nil {
			node.leaf, node.children = true, nil
		}
	}
	return root
}

func at(path string, i int) string {
	if i == 0 {
		return ""
	}
	parts := strings.Split(path, ".")
	return " of " + strings.Join(parts[:i], ".")
}

func sortedKeys(m map[string]reflect.Type) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// jsonFields maps the JSON names of a struct type (through pointers, lists
// and embedded structs) to their types; nil for anything else.
func jsonFields(t reflect.Type) map[string]reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return nil
	}
	out := map[string]reflect.Type{}
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" || !f.IsExported() && !f.Anonymous {
			continue
		}
		if f.Anonymous && name == "" {
			for k, v := range jsonFields(f.Type) {
				out[k] = v
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		out[name] = f.Type
	}
	return out
}

// withFields keeps only the selected fields of a JSON response (sel nil: all).
func withFields(r *response, sel *fieldTree) (*response, error) {
	if sel == nil || r == nil || r.contentType != "application/json" {
		return r, nil
	}
	var out bytes.Buffer
	dec := json.NewDecoder(bytes.NewReader(r.body))
	dec.UseNumber()
	if err := project(dec, &out, sel); err != nil {
		return nil, fmt.Errorf("api: fields: %w", err)
	}
	r.body = out.Bytes()
	r.etag = bodyETag(r.body)
	return r, nil
}

// project copies the next JSON value from dec to out, keeping only what
// sel selects; arrays are projected element by element, key order is kept.
func project(dec *json.Decoder, out *bytes.Buffer, sel *fieldTree) error {
	if sel.leaf {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return err
		}
		out.Write(raw)
		return nil
	}
	t, err := dec.Token()
	if err != nil {
		return err
	}
	switch t {
	case json.Delim('{'):
		out.WriteByte('{')
		first := true
		for dec.More() {
			kt, err := dec.Token()
			if err != nil {
				return err
			}
			key, _ := kt.(string)
			child := sel.children[key]
			if child == nil {
				var skip json.RawMessage
				if err := dec.Decode(&skip); err != nil {
					return err
				}
				continue
			}
			if !first {
				out.WriteByte(',')
			}
			first = false
			kb, _ := json.Marshal(key)
			out.Write(kb)
			out.WriteByte(':')
			if err := project(dec, out, child); err != nil {
				return err
			}
		}
		out.WriteByte('}')
		_, err = dec.Token()
		return err
	case json.Delim('['):
		out.WriteByte('[')
		for i := 0; dec.More(); i++ {
			if i > 0 {
				out.WriteByte(',')
			}
			if err := project(dec, out, sel); err != nil {
				return err
			}
		}
		out.WriteByte(']')
		_, err = dec.Token()
		return err
	}
	b, err := json.Marshal(t) // a scalar or null where the selection goes deeper
	out.Write(b)
	return err
}

// fieldsWithCSV refuses fields= on a CSV answer, whose columns are fixed.
func fieldsWithCSV(q *query, csv bool) {
	if csv && q.has("fields") {
		q.fail("fields", "selects JSON fields; CSV has its fixed columns (drop fields or format=csv)")
	}
}
