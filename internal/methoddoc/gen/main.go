// Command gen writes docs/methodology.md from the engine's methodology
// (scoring.Default). scripts/gendocs.sh runs it; CI fails when it drifts.
package main

import (
	"fmt"
	"os"

	"github.com/lockscore/lockscore/internal/methoddoc"
	"github.com/lockscore/lockscore/internal/scoring"
)

func main() {
	out := "docs/methodology.md"
	if len(os.Args) == 2 {
		out = os.Args[1]
	}
	if err := os.WriteFile(out, methoddoc.Markdown(scoring.Default.Methodology()), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "methoddoc:", err)
		os.Exit(1)
	}
}
