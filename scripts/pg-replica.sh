#!/usr/bin/env bash
# A streaming replica of the local PostgreSQL cluster on a loopback port: for the replica test
# and for trying DATABASE_REPLICA_URLS on one machine (see docs/production.md).
#   scripts/pg-replica.sh start DIR PORT    # pg_basebackup of the primary (127.0.0.1:5432), started on PORT
#   scripts/pg-replica.sh stop DIR
set -euo pipefail
action=${1:?start or stop} dir=${2:?the data folder of the replica}
version=$(ls /etc/postgresql | head -n 1)
bin=/usr/lib/postgresql/$version/bin
case $action in
  start)
    port=${3:?a port}
    hba=/etc/postgresql/$version/main/pg_hba.conf
    if ! grep -qE '^host[[:space:]]+replication[[:space:]]+all[[:space:]]+127\.0\.0\.1/32' "$hba"; then
      # The primary must accept replication connections from loopback (this machine's trust rule).
      echo "host replication all 127.0.0.1/32 trust" >> "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$version" main reload
    fi
    rm -rf "$dir" && mkdir -p "$dir" && chown postgres:postgres "$dir" && chmod 700 "$dir"
    runuser -u postgres -- "$bin/pg_basebackup" -h 127.0.0.1 -p 5432 -U postgres -D "$dir" -R -X stream -c fast
    # Debian keeps the configuration outside the data folder: the replica gets its own.
    runuser -u postgres -- sh -c "printf '%s\n' 'local all all trust' 'host all all 127.0.0.1/32 trust' > '$dir/pg_hba.conf'"
    runuser -u postgres -- touch "$dir/postgresql.conf" "$dir/pg_ident.conf"
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -t 60 start \
      -o "-p $port -k /tmp -c listen_addresses=127.0.0.1 -c hot_standby=on"
    ;;
  stop)
    runuser -u postgres -- "$bin/pg_ctl" -D "$dir" -m fast -w stop || true
    ;;
esac
