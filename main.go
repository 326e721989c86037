// Command lockscore serves and maintains the lockscore API: smart lock
// models rated on one question, "if the lock goes wrong, can the household
// still get in through the main entrance?".
//
//	@title						lockscore API
//	@version					1.0
//	@description				Smart lock models rated on failure resilience: if the lock goes wrong, can the household still get in through the main entrance? Public reads need no key; catalogue writes need an API key (Authorization: Bearer YOUR_KEY). Errors are RFC 9457 application/problem+json; each error's type URL, under /problems, explains it. How a score is made: [the methodology explained](/docs/methodology), also as data at /api/v1/methodology.
//	@BasePath					/
//	@tag.name					locks
//	@tag.description			The catalogue of lock models.
//	@tag.name					rankings
//	@tag.description			Rankings and comparisons for a door and household.
//	@tag.name					assessments
//	@tag.description			Explained assessments, of catalogue locks or any lock.
//	@tag.name					methodology
//	@tag.description			The scoring methodology as data.
//	@tag.name					editing
//	@tag.description			Catalogue changes with API keys; every change is kept as a revision.
//	@tag.name					operations
//	@tag.description			Health, readiness and the index.
//
//	@securityDefinitions.apikey	BearerAuth
//	@in							header
//	@name						Authorization
//	@description				"Bearer " followed by an API key from `lockscore apikey create`.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
