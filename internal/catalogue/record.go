package catalogue

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/go-playground/validator/v10"

	"github.com/lockscore/lockscore/internal/jsonstrict"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// Record is a lock model as editors write it and as a revision keeps it: the
// catalogue fields, the §7 scoring attributes at the top level under their
// public names, sources and incidents.
type Record struct {
	Slug        string   `json:"slug" validate:"required,max=100,slug" example:"yale-conexis-l2"`
	Brand       string   `json:"brand" validate:"required,max=100" example:"Yale"`
	Model       string   `json:"model" validate:"required,max=200" example:"Conexis L2"`
	Variant     string   `json:"variant" validate:"max=200" example:"" binding:"optional"`
	Markets     []string `json:"markets" validate:"unique,dive,vocab=market" enums:"UK,IE,EU,DE,FR,NL,CH,Nordics,US,CA,AU,NZ,JP,KR,BR,Asia,global" example:"UK" binding:"optional"`
	FormFactor  string   `json:"form_factor" validate:"required,vocab=form_factor" enums:"deadbolt,retrofit,euro_cylinder_motorised,euro_cylinder_electronic,mortise,rim_nightlatch,handle,other" example:"euro_cylinder_motorised"`
	DoorTypes   []string `json:"door_types" validate:"unique,dive,vocab=door_type" enums:"uk_multipoint,us_deadbolt,uk_timber,euro_cylinder,other" example:"uk_multipoint" binding:"optional"`
	Status      string   `json:"status" validate:"required,vocab=status" enums:"current,discontinued,unknown" example:"current"`
	ReleaseYear *int     `json:"release_year" validate:"omitempty,min=1980,max=2100" example:"2020" extensions:"x-nullable" binding:"optional"`
	Price       *Price   `json:"price" extensions:"x-nullable" binding:"optional"`
	ProductURL  *string  `json:"product_url" validate:"omitempty,max=2048,httpurl" example:"https://www.yale.co.uk/" extensions:"x-nullable" binding:"optional"`
	ImageURL    *string  `json:"image_url" validate:"omitempty,max=2048,httpurl" extensions:"x-nullable" binding:"optional"`
	scoring.Lock
	Sources        []models.Source   `json:"sources" validate:"required,min=1,max=60,dive"`
	Incidents      []models.Incident `json:"incidents" validate:"max=60,dive" binding:"optional"`
	Notes          string            `json:"notes" validate:"max=10000" binding:"optional"`
	DataConfidence string            `json:"data_confidence" validate:"required,vocab=data_confidence" enums:"high,medium,low" example:"medium"`
}

// Price is a dated price.
type Price struct {
	Amount   float64 `json:"amount" validate:"gte=0,lte=1000000" example:"199"`
	Currency string  `json:"currency" validate:"required,len=3,uppercase" example:"GBP"`
	AsOf     *string `json:"as_of" validate:"omitempty,datetime=2006-01-02" example:"2024-05-01" extensions:"x-nullable" binding:"optional"`
}

// LockRecord is a stored lock model as the API returns it: the record, its
// version and times, and its intrinsic assessment summary.
type LockRecord struct {
	Record
	Version    int             `json:"version" example:"3"`
	CreatedAt  time.Time       `json:"created_at"`
	UpdatedAt  time.Time       `json:"updated_at"`
	Assessment scoring.Summary `json:"assessment"`
}

var slugRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// ValidSlug reports whether s is a lower-case, URL-safe slug.
func ValidSlug(s string) bool { return len(s) <= 100 && slugRE.MatchString(s) }

var validate = newValidator()

func newValidator() *validator.Validate {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]
		if name == "-" {
			return ""
		}
		return name
	})
	_ = v.RegisterValidation("slug", func(fl validator.FieldLevel) bool { return ValidSlug(fl.Field().String()) })
	_ = v.RegisterValidation("httpurl", func(fl validator.FieldLevel) bool { return validHTTPURL(fl.Field().String()) })
	_ = v.RegisterValidation("vocab", func(fl validator.FieldLevel) bool {
		return slices.Contains(models.Vocabularies[fl.Param()], fl.Field().String())
	})
	return v
}

func validHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && !strings.ContainsAny(s, " \t\r\n")
}

var messages = map[string]string{
	"required": "is required", "slug": "must be lower-case letters, digits and single hyphens (e.g. yale-conexis-l2)",
	"httpurl": "must be an http or https URL", "unique": "must not repeat a value", "uppercase": "must be upper case",
	"datetime": "must be a date as YYYY-MM-DD",
}

// Validate checks a record against its tags and the §7 vocabularies and
// returns one field error per invalid field.
func (r *Record) Validate() []models.FieldError {
	var out []models.FieldError
	if err := validate.Struct(r); err != nil {
		var verrs validator.ValidationErrors
		if !errors.As(err, &verrs) {
			return []models.FieldError{{Field: "", Message: err.Error()}}
		}
		for _, fe := range verrs {
			out = append(out, models.FieldError{Field: fieldPath(fe.Namespace()), Message: message(fe)})
		}
	}
	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		if v, ok := a.Get(&r.Lock); ok && !a.Allows(v) {
			out = append(out, models.FieldError{Field: a.Name, Message: "must be one of: " + strings.Join(a.Values, ", ") + " (or null)"})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Field < out[j].Field })
	return out
}

// fieldPath turns validator's "Record.sources[0].url" into "sources[0].url".
func fieldPath(ns string) string {
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		ns = ns[i+1:]
	}
	return strings.TrimPrefix(ns, "Lock.")
}

func message(fe validator.FieldError) string {
	if m, ok := messages[fe.Tag()]; ok {
		return m
	}
	switch fe.Tag() {
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(fe.Param(), " ", ", ")
	case "vocab":
		return "must be one of: " + strings.Join(models.Vocabularies[fe.Param()], ", ")
	case "max":
		if fe.Kind() == reflect.Slice {
			return "must have at most " + fe.Param() + " items"
		}
		if fe.Kind() == reflect.String {
			return "must be at most " + fe.Param() + " characters"
		}
		return "must be at most " + fe.Param()
	case "min":
		if fe.Kind() == reflect.Slice {
			return "must have at least " + fe.Param() + " items"
		}
		if fe.Kind() == reflect.String {
			return "must be at least " + fe.Param() + " characters"
		}
		return "must be at least " + fe.Param()
	case "len":
		return "must be exactly " + fe.Param() + " characters"
	case "gte":
		return "must be at least " + fe.Param()
	case "lte":
		return "must be at most " + fe.Param()
	}
	return "is invalid (" + fe.Tag() + ")"
}

// recordKeys are the top-level JSON names a record accepts.
var recordKeys = func() map[string]bool {
	keys := map[string]bool{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			if f.Anonymous {
				walk(f.Type)
				continue
			}
			if name := strings.SplitN(f.Tag.Get("json"), ",", 2)[0]; name != "" && name != "-" {
				keys[name] = true
			}
		}
	}
	walk(reflect.TypeOf(Record{}))
	return keys
}()

// DecodeRecord decodes one record strictly and validates it: unknown fields,
// wrong types and invalid values all come back as field errors in one
// invalid-input error.
func DecodeRecord(data []byte) (Record, error) {
	r, fields := decodeRecord(data)
	if len(fields) > 0 {
		return Record{}, models.Invalid("the lock model is invalid", fields)
	}
	return r, nil
}

func decodeRecord(data []byte) (Record, []models.FieldError) {
	var r Record
	if dup, ok := jsonstrict.DuplicateName(data); ok {
		return r, []models.FieldError{{Field: dup, Message: jsonstrict.Message}}
	}
	// Fast path: a well-formed record decodes in one pass; only a bad one
	// is taken apart field by field to report every problem.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&r); err == nil && !dec.More() && bytes.HasPrefix(bytes.TrimSpace(data), []byte("{")) {
		r.normalise()
		return r, r.Validate()
	}
	r = Record{}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil || raw == nil {
		return r, []models.FieldError{{Field: "", Message: "must be a JSON object: " + jsonProblem(err)}}
	}
	var fields []models.FieldError
	for k := range raw {
		if !recordKeys[k] {
			fields = append(fields, models.FieldError{Field: k, Message: "unknown field"})
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
		return r, fields
	}
	// Each field is decoded alone so every wrong type is reported, not just the first.
	for k, v := range raw {
		one, _ := json.Marshal(map[string]json.RawMessage{k: v})
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&r); err != nil {
			fields = append(fields, models.FieldError{Field: typeErrorField(k, err), Message: jsonProblem(err)})
		}
	}
	if len(fields) > 0 {
		sort.Slice(fields, func(i, j int) bool { return fields[i].Field < fields[j].Field })
		return r, fields
	}
	r.normalise()
	return r, r.Validate()
}

func typeErrorField(k string, err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return strings.TrimPrefix(te.Field, "Lock.")
	}
	return k
}

func jsonProblem(err error) string {
	if err == nil {
		return "got null"
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Sprintf("must be %s, not %s", jsonType(te.Type), te.Value)
	}
	return strings.TrimPrefix(err.Error(), "json: ")
}

func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Bool:
		return "true, false or null"
	case reflect.String:
		return "a string"
	case reflect.Slice:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	}
	return t.String()
}

// normalise trims text and gives empty lists a value, so an absent list and
// an empty one store the same.
func (r *Record) normalise() {
	r.Slug, r.Brand, r.Model, r.Variant = strings.TrimSpace(r.Slug), strings.TrimSpace(r.Brand), strings.TrimSpace(r.Model), strings.TrimSpace(r.Variant)
	if r.DoorTypes == nil {
		r.DoorTypes = []string{}
	}
	if r.Markets == nil {
		r.Markets = []string{}
	}
	if r.Sources == nil {
		r.Sources = []models.Source{}
	}
	for i := range r.Sources {
		if r.Sources[i].Supports == nil {
			r.Sources[i].Supports = []string{}
		}
	}
	if r.Incidents == nil {
		r.Incidents = []models.Incident{}
	}
}

// ToModel copies the record into a stored model (without id, version or assessment).
func (r *Record) ToModel(m *models.LockModel) {
	m.Slug, m.Brand, m.Model, m.Variant = r.Slug, r.Brand, r.Model, r.Variant
	m.Markets, m.FormFactor, m.DoorTypes, m.Status = r.Markets, r.FormFactor, r.DoorTypes, r.Status
	m.ReleaseYear, m.ProductURL, m.ImageURL = r.ReleaseYear, r.ProductURL, r.ImageURL
	m.PriceAmount, m.PriceCurrency, m.PriceAsOf = nil, nil, nil
	if r.Price != nil {
		amount, cur := r.Price.Amount, r.Price.Currency
		m.PriceAmount, m.PriceCurrency, m.PriceAsOf = &amount, &cur, r.Price.AsOf
	}
	m.Lock = r.Lock
	m.Sources, m.Incidents, m.Notes, m.DataConfidence = r.Sources, r.Incidents, r.Notes, r.DataConfidence
}

// RecordOf returns the record a stored model holds.
func RecordOf(m *models.LockModel) Record {
	r := Record{Slug: m.Slug, Brand: m.Brand, Model: m.Model, Variant: m.Variant, Markets: m.Markets, FormFactor: m.FormFactor,
		DoorTypes: m.DoorTypes, Status: m.Status, ReleaseYear: m.ReleaseYear, ProductURL: m.ProductURL, ImageURL: m.ImageURL,
		Lock: m.Lock, Sources: m.Sources, Incidents: m.Incidents, Notes: m.Notes, DataConfidence: m.DataConfidence}
	if m.PriceAmount != nil && m.PriceCurrency != nil {
		r.Price = &Price{Amount: *m.PriceAmount, Currency: *m.PriceCurrency, AsOf: m.PriceAsOf}
	}
	r.normalise()
	return r
}

// LockRecordOf returns the API form of a stored model.
func LockRecordOf(m *models.LockModel) LockRecord {
	r := LockRecord{Record: RecordOf(m), Version: m.Version, CreatedAt: m.CreatedAt.UTC(), UpdatedAt: m.UpdatedAt.UTC(), Assessment: m.Summary()}
	// The verdict is not stored: it follows from the lock and the methodology in force.
	r.Assessment.Verdict = scoring.Default.Verdict(&r.Lock, &scoring.Context{})
	return r
}

// Equal reports whether two records hold the same content.
func (r Record) Equal(o *Record) bool {
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(o)
	return bytes.Equal(a, b)
}
