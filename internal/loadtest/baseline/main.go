// Command baseline is the yardstick of the load test: a bare Echo v4 server
// whose one handler writes the same response bytes lockscore sends, with no
// middleware, so each scenario can report its throughput as a share of
// what the stack itself can do on the same machine.
package main

import (
	"flag"
	"log"
	"os"

	"github.com/labstack/echo/v4"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:18999", "listen address")
	body := flag.String("body", "", "file holding the response body")
	contentType := flag.String("content-type", "application/json", "response content type")
	flag.Parse()
	b, err := os.ReadFile(*body)
	if err != nil {
		log.Fatal(err)
	}
	e := echo.New()
	e.HideBanner, e.HidePort = true, true
	h := func(c echo.Context) error { return c.Blob(200, *contentType, b) }
	e.GET("/*", h)
	e.POST("/*", h)
	log.Fatal(e.Start(*addr))
}
