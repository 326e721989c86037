package api

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/lockscore/lockscore/internal/catalogue"
	"github.com/lockscore/lockscore/internal/parallel"
	"github.com/lockscore/lockscore/internal/scoring"
	"github.com/lockscore/lockscore/models"
)

// csvCell neutralises a cell a spreadsheet would run as a formula (OWASP
// "CSV injection"): one that begins with =, +, -, @, tab or CR gets a
// leading ', and so does one that begins with ' already, so the import can
// undo it by taking exactly one ' off.
func csvCell(v string) string {
	if v != "" {
		switch v[0] {
		case '=', '+', '-', '@', '\t', '\r', '\'':
			return "'" + v
		}
	}
	return v
}

// csvUncell undoes csvCell on an imported cell.
func csvUncell(v string) string { return strings.TrimPrefix(v, "'") }

func csvResponse(filename string, header []string, rows [][]string) (*response, error) {
	for _, row := range rows {
		for i, v := range row {
			row[i] = csvCell(v)
		}
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.UseCRLF = true // RFC 4180
	if err := w.Write(header); err != nil {
		return nil, err
	}
	if err := w.WriteAll(rows); err != nil {
		return nil, err
	}
	b := buf.Bytes()
	return &response{status: http.StatusOK, contentType: "text/csv; charset=utf-8", body: b, etag: bodyETag(b),
		headers: map[string]string{"Content-Disposition": `attachment; filename="` + filename + `"`}}, nil
}

func fmtFloat(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// ReadOnlyCSVColumns are the assessment columns of a /locks export: the
// server computes them, so an import ignores them, and an export can be
// imported again unchanged.
var ReadOnlyCSVColumns = []string{"score", "score_upper", "band", "label", "provisional", "verdict", "methodology_version", "updated_at"}

// locksCSV is the CSV form of /locks: every column an import reads (the
// whole record: sources and incidents as JSON arrays) and the read-only
// assessment columns.
func locksCSV(items []catalogue.LockRecord) (*response, error) {
	header := []string{"slug", "brand", "model", "variant", "form_factor", "markets", "door_types", "status"}
	header = append(header, ReadOnlyCSVColumns...)
	header = append(header, scoring.AttributeNames()...)
	header = append(header, "release_year", "price_amount", "price_currency", "price_as_of", "product_url", "image_url",
		"sources", "incidents", "notes", "data_confidence")
	rows := make([][]string, 0, len(items))
	for i := range items {
		r := &items[i]
		a := r.Assessment
		row := []string{r.Slug, r.Brand, r.Model, r.Variant, r.FormFactor, strings.Join(r.Markets, ";"), strings.Join(r.DoorTypes, ";"), r.Status,
			fmtFloat(a.Score), fmtFloat(a.ScoreUpper), a.Band, a.Label, strconv.FormatBool(a.Provisional), a.Verdict, a.MethodologyVersion, r.UpdatedAt.Format(time.RFC3339)}
		for i := range scoring.Attributes {
			v, _ := scoring.Attributes[i].Get(&r.Lock)
			row = append(row, v)
		}
		year, amount, currency, asOf := "", "", "", ""
		if r.ReleaseYear != nil {
			year = strconv.Itoa(*r.ReleaseYear)
		}
		if r.Price != nil {
			amount, currency = fmtFloat(r.Price.Amount), r.Price.Currency
			if r.Price.AsOf != nil {
				asOf = *r.Price.AsOf
			}
		}
		sources, _ := json.Marshal(r.Sources)
		incidents := []byte("[]")
		if len(r.Incidents) > 0 {
			incidents, _ = json.Marshal(r.Incidents)
		}
		row = append(row, year, amount, currency, asOf, deref(r.ProductURL), deref(r.ImageURL), string(sources), string(incidents), r.Notes, r.DataConfidence)
		rows = append(rows, row)
	}
	return csvResponse("locks.csv", header, rows)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// rankingsCSV is the CSV form of /rankings.
func rankingsCSV(items []RankingRow) (*response, error) {
	header := []string{"rank", "slug", "brand", "model", "score", "score_upper", "score_uncapped", "band", "label", "provisional",
		"fits", "gates", "gate_reason", "gate_basis", "verdict"}
	rows := make([][]string, 0, len(items))
	for _, r := range items {
		reason, basis, fits := "", "", ""
		if r.GateReason != nil {
			reason = *r.GateReason
		}
		if r.GateBasis != nil {
			basis = *r.GateBasis
		}
		if r.Fits != nil {
			fits = strconv.FormatBool(*r.Fits)
		}
		rows = append(rows, []string{strconv.Itoa(r.Rank), r.Slug, r.Brand, r.Model, fmtFloat(r.Score), fmtFloat(r.ScoreUpper), fmtFloat(r.ScoreUncapped),
			r.Band, r.Label, strconv.FormatBool(r.Provisional), fits, strings.Join(r.Gates, ";"), reason, basis, r.Verdict})
	}
	return csvResponse("rankings.csv", header, rows)
}

// ImportCSVColumns are the columns an import CSV may have; slug is required,
// the rest default to empty (null or an empty list).
var ImportCSVColumns = append(append([]string{"slug", "brand", "model", "variant", "markets", "form_factor", "door_types", "status",
	"release_year", "price_amount", "price_currency", "price_as_of", "product_url", "image_url"}, scoring.AttributeNames()...),
	"sources", "incidents", "notes", "data_confidence")

// readImport reads an import body, a JSON array of records or a CSV file,
// as a stream: each row is decoded as it arrives, so the body is never held
// whole next to its rows (issue 12 #12).
func readImport(c echo.Context) ([]catalogue.ImportRow, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	body := c.Request().Body
	switch {
	case strings.HasPrefix(ct, "text/csv"):
		return importCSV(body)
	case ct == "" || strings.HasPrefix(ct, echo.MIMEApplicationJSON):
		return importJSON(body)
	}
	return nil, models.Errorf(models.KindUnsupportedMedia, "the body must be application/json (an array of records) or text/csv")
}

func importJSON(body io.Reader) ([]catalogue.ImportRow, error) {
	notArray := func(err error) error {
		if isReadError(err) {
			return err
		}
		return models.Invalid("the body must be a JSON array of lock model records", []models.FieldError{{Field: "", Message: err.Error()}})
	}
	dec := json.NewDecoder(body)
	tok, err := dec.Token()
	if err != nil {
		return nil, notArray(err)
	}
	if d, ok := tok.(json.Delim); !ok || d != '[' {
		return nil, notArray(fmt.Errorf("json: cannot unmarshal %v into an array", tok))
	}
	var rows []catalogue.ImportRow
	batch := make([]json.RawMessage, 0, importBatch)
	for dec.More() {
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return nil, notArray(err)
		}
		if batch = append(batch, raw); len(batch) == importBatch {
			rows = decodeImportRows(rows, batch)
			batch = batch[:0]
		}
	}
	rows = decodeImportRows(rows, batch)
	if _, err := dec.Token(); err != nil {
		return nil, notArray(err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, notArray(errors.New("invalid character after the top-level array"))
	}
	if len(rows) == 0 {
		return nil, models.Invalid("nothing to import", []models.FieldError{{Field: "", Message: "the array is empty"}})
	}
	return rows, nil
}

// isReadError reports whether err came from reading the body (the client
// stalled or left, or the body is over the limit), not from its content.
func isReadError(err error) bool {
	var ce *clientError
	var mbe *http.MaxBytesError
	return errors.As(err, &ce) || errors.As(err, &mbe)
}

// importBatch is how many raw rows an import holds before decoding them
// on every core: decoding and validating a record (~75 µs) is most of an
// import's own work, and a batch keeps the body streamed.
const importBatch = 256

// decodeImportRows appends the decoded batch to rows, numbering on from them.
func decodeImportRows(rows []catalogue.ImportRow, batch []json.RawMessage) []catalogue.ImportRow {
	start := len(rows)
	rows = append(rows, make([]catalogue.ImportRow, len(batch))...)
	parallel.For(len(batch), func(i int) { rows[start+i] = decodeImportRow(start+i+1, batch[i]) })
	return rows
}

func decodeImportRow(n int, raw []byte) catalogue.ImportRow {
	if fields := controlChars(raw); len(fields) > 0 {
		row := catalogue.ImportRow{Row: n, Errors: fields}
		var probe struct {
			Slug string `json:"slug"`
		}
		_ = json.Unmarshal(raw, &probe)
		if !badText(probe.Slug, false) {
			row.Record.Slug = probe.Slug
		}
		return row
	}
	rec, err := catalogue.DecodeRecord(raw)
	row := catalogue.ImportRow{Row: n, Record: rec, Valid: err == nil}
	if err != nil {
		var me *models.Error
		if errors.As(err, &me) && len(me.Fields) > 0 {
			row.Errors = me.Fields
		} else {
			row.Errors = []models.FieldError{{Field: "", Message: err.Error()}}
		}
		// Keep the slug for the report even when the record is invalid.
		var probe struct {
			Slug string `json:"slug"`
		}
		_ = json.Unmarshal(raw, &probe)
		row.Record.Slug = probe.Slug
	}
	return row
}

func importCSV(body io.Reader) ([]catalogue.ImportRow, error) {
	r := csv.NewReader(body)
	r.ReuseRecord = true
	r.FieldsPerRecord = 0
	header, err := r.Read()
	if isReadError(err) {
		return nil, err
	}
	header = slices.Clone(header)
	if err != nil {
		return nil, models.Invalid("the CSV has no header row", []models.FieldError{{Field: "", Message: csvProblem(err)}})
	}
	index := map[string]int{}
	var errs []models.FieldError
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if slices.Contains(ReadOnlyCSVColumns, h) {
			continue // computed by the server: an export imports unchanged
		}
		if !slices.Contains(ImportCSVColumns, h) {
			errs = append(errs, models.FieldError{Field: h, Message: "unknown CSV column" + suggestion(h, ImportCSVColumns)})
			continue
		}
		if _, dup := index[h]; dup {
			errs = append(errs, models.FieldError{Field: h, Message: "column appears twice"})
		}
		index[h] = i
	}
	if _, ok := index["slug"]; !ok {
		errs = append(errs, models.FieldError{Field: "slug", Message: "the CSV needs a slug column"})
	}
	if len(errs) > 0 {
		return nil, models.Invalid("the CSV header is invalid", errs)
	}
	var rows []catalogue.ImportRow
	for n := 1; ; n++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if isReadError(err) {
			return nil, err
		}
		if err != nil {
			return nil, models.Invalid("the CSV is malformed", []models.FieldError{{Field: "", Message: csvProblem(err), Row: n}})
		}
		obj, ferrs := csvRecord(index, rec)
		if len(ferrs) > 0 {
			rows = append(rows, catalogue.ImportRow{Row: n, Record: catalogue.Record{Slug: obj["slug"].(string)}, Errors: ferrs})
			continue
		}
		b, _ := json.Marshal(obj)
		rows = append(rows, decodeImportRow(n, b))
	}
	if len(rows) == 0 {
		return nil, models.Invalid("nothing to import", []models.FieldError{{Field: "", Message: "the CSV has no data rows"}})
	}
	return rows, nil
}

func csvProblem(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("line %d: %v", pe.Line, pe.Err)
	}
	if errors.Is(err, io.EOF) {
		return "the body is empty; the first line must name the columns"
	}
	return err.Error()
}

// csvRecord turns one CSV row into the JSON object of a record.
func csvRecord(index map[string]int, rec []string) (map[string]any, []models.FieldError) {
	get := func(col string) string {
		i, ok := index[col]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(csvUncell(strings.TrimSpace(rec[i])))
	}
	var errs []models.FieldError
	obj := map[string]any{}
	list := func(s string) []string {
		out := []string{}
		for _, p := range strings.Split(s, ";") {
			if p = strings.TrimSpace(p); p != "" {
				out = append(out, p)
			}
		}
		return out
	}
	for _, col := range []string{"slug", "brand", "model", "variant", "form_factor", "status", "notes", "data_confidence"} {
		obj[col] = get(col)
	}
	obj["markets"] = list(get("markets"))
	obj["door_types"] = list(get("door_types"))
	optional := func(col string) any {
		if v := get(col); v != "" {
			return v
		}
		return nil
	}
	obj["product_url"], obj["image_url"] = optional("product_url"), optional("image_url")
	if v := get("release_year"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			errs = append(errs, models.FieldError{Field: "release_year", Message: "must be a whole number"})
		}
		obj["release_year"] = n
	} else {
		obj["release_year"] = nil
	}
	if amount := get("price_amount"); amount != "" || get("price_currency") != "" {
		f, err := strconv.ParseFloat(amount, 64)
		if err != nil {
			errs = append(errs, models.FieldError{Field: "price_amount", Message: "must be a number"})
		}
		obj["price"] = map[string]any{"amount": f, "currency": get("price_currency"), "as_of": optional("price_as_of")}
	} else {
		obj["price"] = nil
	}
	for i := range scoring.Attributes {
		a := &scoring.Attributes[i]
		v := get(a.Name)
		switch {
		case v == "":
			obj[a.Name] = nil
		case a.Type == "boolean":
			b, err := strconv.ParseBool(strings.ToLower(v))
			if err != nil {
				errs = append(errs, models.FieldError{Field: a.Name, Message: "must be true, false or empty"})
			}
			obj[a.Name] = b
		default:
			obj[a.Name] = v
		}
	}
	sources := get("sources")
	if strings.HasPrefix(sources, "[") {
		var raw json.RawMessage = []byte(sources)
		obj["sources"] = raw
	} else {
		var list2 []map[string]any
		for _, u := range list(sources) {
			list2 = append(list2, map[string]any{"url": u, "title": "", "supports": []string{}, "accessed": nil})
		}
		if list2 == nil {
			list2 = []map[string]any{}
		}
		obj["sources"] = list2
	}
	if inc := get("incidents"); inc != "" {
		if !json.Valid([]byte(inc)) {
			errs = append(errs, models.FieldError{Field: "incidents", Message: "must be a JSON array of incidents"})
		} else {
			obj["incidents"] = json.RawMessage(inc)
		}
	} else {
		obj["incidents"] = []any{}
	}
	if s, ok := obj["sources"].(json.RawMessage); ok && !json.Valid(s) {
		errs = append(errs, models.FieldError{Field: "sources", Message: "must be URLs separated by ; or a JSON array of sources"})
	}
	return obj, errs
}
