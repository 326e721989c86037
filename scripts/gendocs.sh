#!/usr/bin/env bash
# Regenerates docs/ from the code's annotations: swag writes the Swagger 2.0
# document, internal/openapigen converts it to OpenAPI 3.0. Never edit docs/
# by hand; CI runs this and fails when it changes anything.
set -euo pipefail
cd "$(dirname "$0")/.."
go tool swag init --quiet --requiredByDefault --parseInternal --useStructName --generalInfo main.go --output docs --outputTypes go,json,yaml
go run ./internal/openapigen docs/swagger.json docs/openapi.json
go run ./internal/methoddoc/gen docs/methodology.md
