# syntax=docker/dockerfile:1
# lockscore: multi-stage build. cgo is needed for SQLite (mattn/go-sqlite3),
# so the builder is the official Debian-based Go image and the runtime is a
# glibc image of the same Debian release.
FROM golang:1.27-bookworm AS build
WORKDIR /src
ENV CGO_ENABLED=1 GOTOOLCHAIN=local
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
RUN go build -trimpath -ldflags "-s -w -X main.version=${VERSION}" -o /out/lockscore .

FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin lockscore \
 && mkdir -p /data && chown lockscore:lockscore /data
COPY --from=build /out/lockscore /usr/local/bin/lockscore
USER lockscore
WORKDIR /data
ENV LOCKSCORE_ADDR=:8080 \
    LOCKSCORE_DATABASE_URL=/data/lockscore.db
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=15s --timeout=4s --start-period=20s --retries=3 CMD ["lockscore", "healthcheck"]
ENTRYPOINT ["lockscore"]
CMD ["serve"]
