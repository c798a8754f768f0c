#!/usr/bin/env bash
# Make sure the local PostgreSQL cluster the tests use is up (start it if it is down).
set -euo pipefail
host=127.0.0.1 port=5432
if ! pg_isready -q -h "$host" -p "$port"; then
  echo "PostgreSQL is not answering on $host:$port; starting the cluster."
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n 1)" main start
  for _ in $(seq 30); do pg_isready -q -h "$host" -p "$port" && break; sleep 1; done
fi
pg_isready -h "$host" -p "$port"
