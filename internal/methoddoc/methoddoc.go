// Package methoddoc explains the scoring methodology to users: it writes
// docs/methodology.md, whose prose is fixed here and whose tables of
// weights, ways in, gates and bands come from the methodology value the
// engine runs on, so the document cannot drift from the scores. The server
// serves the same text rendered to HTML at /docs/methodology.
package methoddoc

import (
	"bytes"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"

	"github.com/lockscore/lockscore/internal/scoring"
)

// Path is where the server serves the rendered document; OpenAPI
// descriptions and GET /api/v1/methodology link to it.
const Path = "/docs/methodology"

// Markdown is the methodology explained, with its tables generated from m.
func Markdown(m *scoring.Methodology) []byte {
	var b bytes.Buffer
	p := func(format string, a ...any) { fmt.Fprintf(&b, format, a...) }
	total := 0.0
	for _, s := range m.Scenarios {
		total += s.Weight
	}
	p("# How lockscore rates a smart lock (methodology %s)\n\n", m.Version)
	p("<!-- Generated from the methodology value the engine uses (internal/methoddoc); edit the prose there, never this file. -->\n\n")
	p("lockscore answers one question: *%s* It is not a burglary-resistance rating. "+
		"It rates how a household gets back in when the lock itself fails, which is when a keyless lock that faults "+
		"while deadlocked leaves its owner outside.\n\n", m.Question)
	p("Everything below is also served as data at `GET /api/v1/methodology`: the very value the engine computes with. " +
		"Every number in these tables is a published design choice that anyone can check and dispute.\n\n")

	p("## Score\n\n")
	c := m.Components
	p("A lock's score is out of 100:\n\n```\nscore = %s × coverage + %s × detection + %s × evidence\n```\n\n", num(c.Coverage), num(c.Detection), num(c.Evidence))
	p("- **Coverage** (0 to 1) asks, for each [failure scenario](#scenarios), what the best way in is that still works, " +
		"and averages the answers with the scenario weights. A scenario counts the quality of the **best surviving way in, never a sum**: " +
		"keypad, fingerprint, card and app share the lock's battery, board and motor, so piling them up earns nothing when the electronics die.\n")
	p("- **Detection** (0 to 1) rewards a lock that warns before it fails ([points](#detection)).\n")
	p("- **Evidence** (0 to 1) rewards independent certification and a lock that keeps working without its vendor ([points](#evidence)).\n\n")
	p("Then [gates](#gates) cap the band whatever the points say, and the score is clamped to the top of the capped band. " +
		"An assessment is either *intrinsic* (the lock alone) or *in context* (the lock plus the property's and household's own ways in, see [context](#context)).\n\n")

	p("## Needs\n\n")
	p("Each way in depends on things a failure can take away:\n\n| need | what it is |\n|---|---|\n")
	for _, n := range m.Needs {
		p("| `%s` | %s |\n", n.ID, cell(n.Description))
	}
	p("\n")

	p("## Paths\n\n")
	p("The ways in from outside and the quality of each (1 is a key in the door). A way in that a scenario takes away scores nothing in that scenario. " +
		"A locksmith or forced entry is not a way in.\n\n")
	p("| path | name | quality | needs | counts when | from the context |\n|---|---|---|---|---|---|\n")
	for _, x := range m.Paths {
		needs := "`" + strings.Join(x.Needs, "`, `") + "`"
		if len(x.NeedsIfBackdrives) > 0 {
			needs += " (+ `" + strings.Join(x.NeedsIfBackdrives, "`, `") + "` when the key back-drives the motor)"
		}
		ctx := "no"
		if x.Context {
			ctx = "yes"
		}
		p("| `%s` | %s | %s | %s | %s | %s |\n", x.ID, cell(x.Name), num(x.Quality), needs, cell(x.Condition), ctx)
	}
	p("\n")

	p("## Scenarios\n\n")
	p("The %d failures a lock is tested against and their default weights (of %s). [Context](#context) can reweight them.\n\n", len(m.Scenarios), num(total))
	p("| id | scenario | takes away | weight |\n|---|---|---|---|\n")
	for _, s := range m.Scenarios {
		p("| %s | %s | `%s` | %s |\n", s.ID, cell(s.Name), strings.Join(s.Kills, "`, `"), num(s.Weight))
	}
	p("\n")

	d := m.Detection
	p("## Detection\n\n| the lock has | points |\n|---|---|\n")
	p("| a low-battery warning on the lock | %s |\n| a low-battery notification on the phone | %s |\n", num(d.LowBatteryOnDevice), num(d.LowBatteryRemote))
	p("| a documented reserve after the first warning of 4 weeks or more | %s |\n| a documented reserve of 1 to 4 weeks | %s |\n", num(d.ReserveOver4Weeks), num(d.Reserve1To4Weeks))
	p("| a jam or bolt-not-thrown alert | %s |\n\n", num(d.JamAlert))
	switch d.FullWhen {
	case scoring.FullDetectionPurelyMechanical:
		p("A lock the record states is purely mechanical (not motorised, and no fingerprint, keypad, card, or phone app) has nothing to warn about: detection %s. Every other lock earns detection from its warnings, whatever drives its bolt.\n\n", num(d.Full))
	default:
		p("A lock without a motor has nothing to warn about: detection %s.\n\n", num(d.Full))
	}

	e := m.Evidence
	p("## Evidence\n\n| the lock has | points |\n|---|---|\n")
	p("| BHMA A156.40 durability grade A / B / C | %s / %s / %s |\n", num(e.BHMAGradeA), num(e.BHMAGradeB), num(e.BHMAGradeC))
	p("| a third-party EN durability class | %s |\n| a third-party electronic-component standard | %s |\n", num(e.ENDurabilityThirdParty), num(e.ElectronicThirdParty))
	p("| a verified A156.33 battery claim | %s |\n| works fully without a vendor account | %s |\n", num(e.A15633BatteryVerified), num(e.WorksWithoutAccount))
	p("| a declared update-support period | %s |\n| documented recovery without the vendor | %s |\n\n", num(e.UpdateSupportDeclared), num(e.RecoveryWithoutVendor))
	p("The sum is capped at %s; a self-declared (not third-party) claim earns %s of its points; %s.\n\n", num(e.Cap), num(e.SelfDeclaredFactor), e.DurabilityRule)

	p("## Bands\n\n| band | score | label |\n|---|---|---|\n")
	for _, x := range m.Bands {
		p("| %s | %s to %s | %s |\n", x.Band, num(x.Min), num(x.Max), x.Label)
	}
	p("\nRounding: %s.\n\n", m.Rounding)

	p("## Gates\n\n")
	p("A gate caps the band, whatever the points: it stands for a failure no amount of features makes up for. " +
		"The lowest cap wins, and every gate that fires is returned with its reason and a source.\n\n")
	p("| gate | fires when | caps at | caps at, with another keyed door | source |\n|---|---|---|---|---|\n")
	for _, g := range m.Gates {
		p("| %s | %s | %s | %s | <%s> |\n", g.ID, cell(g.Condition), g.CapBand, g.CapBandWithOtherDoor, g.Source)
	}
	p("\n")
	if m.GateOrder == scoring.GateOrderKnownFirst {
		p("A gate that fires whatever the missing facts turn out to be has basis `known`; one that fires only because a fact is unknown has basis `unknown`, " +
			"and its reason says the fact is unknown and that the lock is rated as if it were at its worst until it is confirmed. " +
			"Gates are listed known first, then lowest cap first; a ranking row quotes the first.\n\n")
	}
	if m.OverrideCylinder == scoring.OverrideCylinderDoorForRetrofits {
		p("For a retrofit whose outside key is the door's own euro cylinder, the cylinder G5 judges is the door's, given by the context's `cylinder_rating`; for every other lock it is the lock's own `override_cylinder_rating`.\n\n")
	}
	if len(m.Advice) > 0 {
		p("## Advice\n\n")
		p("An assessment ends in a plain-English verdict and in advice: each change below is tried on its own, and the ones that would raise the band are listed.\n\n")
		p("| advice | change tried | tried when | what it says |\n|---|---|---|---|\n")
		for _, a := range m.Advice {
			p("| `%s` | %s | %s | %s |\n", a.ID, cell(a.Change), cell(a.TriedWhen), cell(a.Action))
		}
		p("\n")
	}

	p("## Context\n\n")
	p("Context describes the door and the household: query parameters on `GET` (`%s`), the `context` object on `POST /api/v1/assessments`. "+
		"It adds ways in (the paths marked *from the context* above) or reweights the scenarios; it never changes the intrinsic assessment. "+
		"An absent field is false: nothing is assumed about the household.\n\n", strings.Join(scoring.ContextFields, "`, `"))
	p("| when | scenario | weight × |\n|---|---|---|\n")
	for _, x := range m.Context.Multipliers {
		p("| `%s` | %s | %s |\n", x.When, x.Scenario, num(x.Factor))
	}
	p("\nThen %s. A tech-averse household's phone app over Bluetooth counts at quality %s.\n\n", m.Context.Renormalise, num(m.Context.TechAversePhoneLocalQuality))

	if m.Rankings != "" {
		p("## Rankings\n\n`GET /api/v1/rankings` orders by %s.\n\n", m.Rankings)
	}

	p("## Unknowns\n\n")
	p("Nothing is imputed. A fact the catalogue does not have is *unknown* (null), and unknowns give an interval: %s. "+
		"An assessment's `missing` lists the unknown facts that move the result; `data_completeness` is the share of scoring attributes that are known.\n\n", m.Intervals)

	p("## Attributes\n\n")
	p("The facts about a lock that the engine reads (the `lock` object of a what-if, the scoring fields of a catalogue record). Every one may be null.\n\n")
	p("| attribute | values | worst / best when unknown | meaning |\n|---|---|---|---|\n")
	for _, a := range m.Attributes {
		p("| `%s` | %s | %s / %s | %s |\n", a.Name, cell(strings.Join(a.Values, ", ")), a.Worst, a.Best, cell(a.Description))
	}
	return b.Bytes()
}

// num prints a methodology number as the specification writes it: 0.9, 25, 84.9.
func num(f float64) string { return strconv.FormatFloat(f, 'f', -1, 64) }

// cell keeps a table cell on one line and its pipes literal.
func cell(s string) string {
	return strings.ReplaceAll(strings.ReplaceAll(s, "\n", " "), "|", `\|`)
}

var md = goldmark.New(goldmark.WithExtensions(extension.Table), goldmark.WithParserOptions(parser.WithAutoHeadingID()))

var page = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.3rem .5rem;vertical-align:top;text-align:left}
code,pre{background:#f4f4f4;border-radius:3px}pre{padding:.6rem}a{color:#0645ad}</style></head>
<body>{{.Body}}</body></html>
`))

// HTML wraps rendered Markdown in a standalone page (its style is inline,
// which the page's Content-Security-Policy must allow).
func HTML(title string, markdown []byte) ([]byte, error) {
	var body bytes.Buffer
	if err := md.Convert(markdown, &body); err != nil {
		return nil, err
	}
	var out bytes.Buffer
	// The Markdown is the project's own text, never user input.
	err := page.Execute(&out, struct {
		Title string
		Body  template.HTML
	}{title, template.HTML(body.String())})
	return out.Bytes(), err
}
