// Package api is lockscore's HTTP interface: the Echo server, its
// middleware, the handlers of /api/v1 and their request and response shapes.
// Handlers stay thin: they parse and validate input, call the catalogue
// service or the scoring engine, and write the result. Every error leaves
// through one handler as RFC 9457 problem+json.
package api
