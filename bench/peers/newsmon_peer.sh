#!/bin/sh
# newsmon as a "custom" peer of ../shared/bench/run_peers.py, timed as a whole process the way a user runs it.
# The shared newsmon_peer.sh, except: `poll` makes every feed due and runs `newsmon run --once` (`run --once
# --all` re-claims the feeds it already polled when there are more than polling.batch_size of them, and never
# ends: the reliability issue), and ENRICHMENT_MODE (on_demand, the default, or everything) for full mode.
#   setup  write $BENCH_STATE/newsmon.yaml for the URLs in $BENCH_URLS and create the database
#   poll   every feed due now, then one `newsmon run --once`;  count  articles stored so far
# MODE=kw: bench/keyword-rules, enrichment off.  MODE=full: rules/ with enrichment on (what `make run` does).
set -eu
: "${NEWSMON_BIN:?set NEWSMON_BIN}" "${NEWSMON_REPO:?set NEWSMON_REPO to the checkout}"
cfg="$BENCH_STATE/newsmon.yaml"
case "$1" in
setup)
  if [ "${MODE:-kw}" = kw ]; then rules="$NEWSMON_REPO/bench/keyword-rules"; enrich=false
  else rules="$NEWSMON_REPO/rules"; enrich=true; fi
  {
    echo "database: {url: 'sqlite:///$BENCH_STATE/newsmon.db'}"
    echo "rules: {paths: ['$rules']}"
    echo "http: {per_host_concurrency: 20, total_concurrency: 20}"
    echo "logging: {level: WARNING}"
    echo "enrichment: {enabled: $enrich, mode: ${ENRICHMENT_MODE:-on_demand}}"
    echo "feeds:"
    while read -r u; do echo "  - {url: '$u', interval_s: 3600}"; done < "$BENCH_URLS"
  } > "$cfg"
  "$NEWSMON_BIN" --config "$cfg" db upgrade >/dev/null ;;
poll)
  python3 -c "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"update feeds set next_poll_at='2000-01-01 00:00:00.000000'\"); c.commit()" "$BENCH_STATE/newsmon.db"
  "$NEWSMON_BIN" --config "$cfg" run --once ;;
count) python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('select count(*) from articles').fetchone()[0])" "$BENCH_STATE/newsmon.db" ;;
*) echo "usage: newsmon_peer.sh setup|poll|count" >&2; exit 2 ;;
esac
