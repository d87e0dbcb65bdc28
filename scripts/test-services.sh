#!/usr/bin/env bash
# Installs and starts what the tests need beyond Python packages: a PostgreSQL server,
# Debian's Chromium (for browser tests) and LibreOffice Writer (a generated proposal
# converts to PDF: the Word-compatibility check). Prints the URL of a PostgreSQL database for the
# tests on stdout, or nothing when no server can be had here (then only SQLite is tested).
set -euo pipefail

log() { echo "test-services: $*" >&2; }

missing=()
command -v pg_ctlcluster >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    aptlog=$(mktemp)
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}"; } \
        >"$aptlog" 2>&1; then
      tail -n 30 "$aptlog" >&2
      log "installing ${missing[*]} failed"
      exit 1
    fi
  else
    log "cannot install ${missing[*]} (not root or no apt-get); those tests will not run"
  fi
fi

command -v pg_lsclusters >/dev/null 2>&1 || exit 0
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  log "no PostgreSQL cluster found"
  exit 0
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != "online" ]; then
  if [ "$(id -u)" = 0 ]; then
    pg_ctlcluster "$version" "$name" start >&2
  else
    log "PostgreSQL $version/$name is down and this user cannot start it"
    exit 0
  fi
fi
if [ "$(id -u)" = 0 ]; then
  # A known password for the tests' own superuser role; TCP on loopback only.
  su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'callradar_test') THEN
      CREATE ROLE callradar_test LOGIN SUPERUSER PASSWORD 'callradar_test';
    END IF; END \\\$\\\$;\"" >&2
fi
echo "postgresql+psycopg://callradar_test:callradar_test@127.0.0.1:$port/postgres"
