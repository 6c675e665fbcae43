#!/usr/bin/env bash
# End to end: Debian's Prometheus scrapes the exporter running the demo PBX, with the stack's alert rules loaded and
# Debian's Alertmanager receiving; stopping the demo PBX must fire "PBX source down" (test/e2e/prometheus.test.ts).
# Needs: apt-get install prometheus prometheus-alertmanager; the exporter built (npm run build -w exporter).
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in prometheus prometheus-alertmanager; do
  command -v "$tool" >/dev/null || { echo "e2e: $tool is not installed (apt-get install prometheus prometheus-alertmanager)" >&2; exit 1; }
done
[ -f exporter/dist/cli.js ] || npm run build -w exporter

SB_STACK_E2E=1 npx jest -c jest.stack.config.js --runInBand "$@"
