// Package api is lockscore's HTTP interface: the Echo server, its
// middleware, the handlers of /api/v1 and their request and response shapes.
// Handlers stay thin: they parse and validate input, call the catalogue
// service or the scoring engine, and write the result. Every error leaves
// through one handler as RFC 9457 problem+json.
//
// One file per resource: locks.go (list, get), writes.go (create, replace,
// patch, delete, revisions, import), rankings.go, compare.go, facets.go,
// assessments.go (what-if), methodology.go, changes.go, cataloguestats.go,
// docs.go (problem and methodology pages) and ops.go (health, readiness,
// index); request.go parses queries and bodies, respond.go and errors.go
// write answers, middleware.go and listener.go guard the server.
package api
