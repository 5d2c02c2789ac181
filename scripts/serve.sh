#!/usr/bin/env bash
# Everything the app needs, in the foreground: the web server, the job worker and the
# scheduler. Ctrl-C (or any one of them exiting) stops all three. Used by `make run`.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
BIND=${BIND:-127.0.0.1:8000}
WEB_WORKERS=${WEB_WORKERS:-2}

pids=()
stop() {
  trap - INT TERM EXIT
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null
}
trap stop INT TERM EXIT

# Metrics from every web worker are added up through files in this directory.
export PROMETHEUS_MULTIPROC_DIR=${PROMETHEUS_MULTIPROC_DIR:-var/prometheus}
mkdir -p "$PROMETHEUS_MULTIPROC_DIR"
.venv/bin/gunicorn qicollab.config.wsgi -c python:qicollab.config.gunicorn --bind "$BIND" \
  --workers "$WEB_WORKERS" --access-logfile - --log-level warning &
pids+=($!)
if [ "${TASKS_BACKEND:-database}" = "rq" ]; then
  "$PY" manage.py rqworker default --job-class django_tasks_rq.Job &
else
  "$PY" manage.py db_worker --queue-name '*' --interval 1 -v0 &
fi
pids+=($!)
"$PY" manage.py run_scheduler --interval 30 &
pids+=($!)

# The first of the three to stop takes the others with it, so nothing half-runs.
wait -n
