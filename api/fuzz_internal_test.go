package api

import (
	"bytes"
	"testing"
)

// FuzzImportCSV: any CSV body either parses into rows or fails with a
// problem naming what is wrong; never a panic.
func FuzzImportCSV(f *testing.F) {
	f.Add([]byte("slug,brand,model,markets,form_factor,status,keypad,sources,data_confidence\r\nok,A,B,UK,deadbolt,current,true,https://example.com,low\r\n"))
	f.Add([]byte("slug,brand\r\n\"unterminated,x\r\n"))
	f.Add([]byte("colour\r\nred\r\n"))
	f.Add([]byte("slug,sources,incidents\r\nx,[{\"url\":1}],{bad\r\n"))
	f.Fuzz(func(t *testing.T, body []byte) {
		rows, err := importCSV(bytes.NewReader(body))
		if err != nil {
			return
		}
		for _, r := range rows {
			if r.Row < 1 {
				t.Fatalf("row number %d", r.Row)
			}
		}
	})
}
