package web

// NoCache makes h render every page afresh, for the cold benchmark.
func NoCache(h *Handler) { h.noCache = true }
