#!/bin/sh
# seed-corpus.sh — (re)builds the seed corpora tests/fuzz/corpus/<harness>/ from
# the repository's test data (scenarios, the heads of the sample traces) and a
# few hand-written inputs below, so every fuzzer starts from valid inputs of its
# format. Run from the repository root after test data changes; the corpora are
# kept in git (small files only: no seed is over 8 KiB) and replayed by
# tests/test_fuzz_regressions.c.
#
# Trace harnesses read two option bytes before the file (tests/fuzz/common.c,
# decode_options); each trace seed is written with several option pairs.
set -eu
C=tests/fuzz/corpus
rm -rf "$C"
mkdir -p "$C"

# seed HARNESS NAME — stdin becomes one seed (8 KiB at most).
seed() {
  mkdir -p "$C/$1"
  head -c 8192 > "$C/$1/$2"
}

# trace HARNESS NAME OPTS... — stdin (the file) becomes one seed per option pair
# (OPTS are two octal bytes each, e.g. 000000).
trace() {
  h=$1; n=$2; shift 2
  body=$(mktemp)
  head -c 8000 > "$body"
  for o in "$@"; do
    b0=$(echo "$o" | cut -c1-3); b1=$(echo "$o" | cut -c4-6)
    { printf "\\$b0\\$b1"; cat "$body"; } | seed "$h" "$n-$o"
  done
  rm -f "$body"
}

# --- units: the values scenarios write, and the edges --------------------------
i=0
for v in 250ms 45s 15m 2h 1.5d 0 0s "250 ms" " 7 " 512MiB 2GiB 512Mi 1G 4096 1e3KiB \
         60% 60 -30% 100/s 1200/min 36000/h 5/ms 0.5 -1 -0 1e308 1e309 2e-320 \
         nan inf -inf 0x10 1e999h 9999999999999999999d 1. .5s +3s 3s5 "" " " \
         1ns 1us 1min 7TiB 3TB 1kB 2KB 5/d; do
  i=$((i + 1)); printf '%s' "$v" | seed units "value-$i"
done

# --- scenario: every scenario in the repository ----------------------------------
for f in tests/scenarios/*.yaml docs/examples/*.yaml bench/scenarios/*.yaml; do
  [ -f "$f" ] && [ "$(wc -c < "$f")" -le 8192 ] && seed scenario "$(basename "$f")" < "$f"
done
# a scenario followed by overrides ("\0--set\0", then NUL-separated)
{ cat docs/examples/demo.yaml; printf '\0--set\0duration=2h\0platforms[0].instances=4\0output.resolution=1s'; } |
  seed scenario demo-with-overrides
printf 'name: x\nduration: 1m\nworkload: {arrivals: {process: poisson, rate: 1/s}, request: {duration: {dist: constant, value: 1s}}}\nplatforms: [{name: a, kind: fixed, instances: 1}]\n' |
  seed scenario minimal-flow
printf '{"name": "j", "duration": "10s", "workload": {"arrivals": {"process": "poisson", "rate": "5/s"}, "request": {"duration": {"dist": "exponential", "mean": "100ms"}}}, "platforms": [{"name": "f", "kind": "fixed", "instances": 2}]}\n' |
  seed scenario json

# --- override: --set texts against the demo, one per line ---------------------------
printf 'duration=2h\n' | seed override duration
printf 'platforms[0].instances=16\nseed=7\n' | seed override instances-seed
printf 'platforms.fixed-8.instance.vcpu=2\n' | seed override by-name
printf 'workload.arrivals={process: poisson, rate: 10/s}\n' | seed override flow-map
printf 'platforms[0]={name: f, kind: fixed, instances: 3}\n' | seed override replace-item
printf 'output.resolution=500ms\noutput.dir=/tmp/x\n' | seed override output
printf 'workload.request.duration.dist=exponential\nworkload.request.duration.mean=50ms\n' |
  seed override dist

# --- traces: the heads of the sample traces, and hand-written lines --------------------
T=workloads/traces
if [ -f $T/nasa-http/nasa_19950801.tsv ]; then
  head -n 40 $T/nasa-http/nasa_19950801.tsv | trace trace_tsv nasa 000000 001000 100000 004000
fi
if [ -f $T/azure-functions-2021-sample/Azure2021_200.csv ]; then
  head -n 30 $T/azure-functions-2021-sample/Azure2021_200.csv |
    trace trace_azure2021 azure2021 000000 001000 000010 000100
fi
printf 'time,duration,cpu,size,status,url\n1700000000.5,0.120,0.05,512,200,/a\n1700000000.7,0.3,0.1,100,404,/b\n1700000002,1.5,1,0,200,/a/c\n' |
  trace trace_csv columns 000000 200000 200010 200001 200100 200200
printf '1700000000.5,0.120\n1700000001,0.3\n1700000003,0.01\n' | trace trace_csv no-header 002000 202000 202001
printf 'time\n2024-05-01T12:00:00Z\n2024-05-01T12:00:00.250Z\n2024-05-01 12:00:01+02:00\n' |
  trace trace_csv iso8601 040000 000000
printf 'time\n1700000000000\n1700000000500\n1700000001250\n' | trace trace_csv millis 020000
printf 'time\tduration\n1700000000\t0.5\n1700000000\t0.25\n1700000001\t2\n' |
  trace trace_tsv tab 200000 200001
# NASA-HTTP style CLF (specs/trace-formats.md §3.1) and a combined-format line.
cat <<'EOT' | trace trace_clf nasa 000000 001000 004000 000010
199.72.81.55 - - [01/Jul/1995:00:00:01 -0400] "GET /history/apollo/ HTTP/1.0" 200 6245
unicomp6.unicomp.net - - [01/Jul/1995:00:00:06 -0400] "GET /shuttle/countdown/ HTTP/1.0" 200 3985
burger.letters.com - - [01/Jul/1995:00:00:12 -0400] "GET /images/NASA-logosmall.gif" 304 -
d104.aa.net - - [01/Jul/1995:00:00:13 -0400] "GET /shuttle/countdown/ HTTP/1.0" 200 3985
EOT
cat <<'EOT' | trace trace_clf combined 000000 000010
::1 - frank [10/Oct/2000:13:55:36 -0700] "GET /apache_pb.gif HTTP/1.0" 200 2326 "http://www.example.com/start.html" "Mozilla/4.08 [en] (Win98; I ;Nav)"
10.0.0.1 - - [10/Oct/2000:13:55:36 +0000] "GET /a "quoted" b HTTP/1.1" 404 0 "-" "-"
EOT
# The documentation example of specs/trace-formats.md §3.2 (as in Vector's
# parse_aws_alb_log reference), a failed request (-1), and a short old-style line.
cat <<'EOT' | trace trace_alb doc 000000 001000 000010
http 2018-11-30T22:23:00.186641Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 - 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e3" "-" "-" 0 2018-11-30T22:22:48.364000Z "forward" "-" "-" "-" "-" "-" "-"
https 2018-11-30T22:23:01.000000Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2818 - -1 -1 -1 502 - 34 0 "POST https://www.example.com:443/api HTTP/2.0" "-" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-2:123456789012:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337364-23a8c76965a2ef7629b185e4" "-" "-" 0 2018-11-30T22:23:00.900000Z "forward" "-" "-" "-" "-" "-" "-"
h2 2018-11-30T22:23:02.5Z app/lb/1 10.0.0.1:1 10.0.0.2:80 0.001 0.250 0.000 200 200 10 20 "GET http://h/ HTTP/2.0" "ua" - -
EOT
# Test data of the trace readers (tests/data/).
for f in tests/data/csv_*.csv tests/data/merge/*.csv; do
  [ -f "$f" ] && trace trace_csv "data-$(basename "$f" .csv)" 000000 001000 202000 < "$f"
done
[ -f tests/data/clf_edge.log ] && trace trace_clf data-edge 000000 001000 < tests/data/clf_edge.log
[ -f tests/data/alb_edge.log ] && trace trace_alb data-edge 000000 001000 < tests/data/alb_edge.log

# Count formats: the heads of the World Cup per-minute file and the NASA
# per-second series, and the Azure 2019 invocation counts.
if [ -f $T/worldcup98/invocation_count.csv ]; then
  head -n 30 $T/worldcup98/invocation_count.csv | sed '1s/period/time/' |
    trace trace_counts worldcup 000000 004000 010000 001000
fi
printf 'time,count\n1700000000,3\n1700000060,0\n1700000120,12\n' | trace trace_counts small 000000 100000 014000
if [ -f $T/nasa-http-per-second/workload.txt.gz ]; then
  gzip -dc $T/nasa-http-per-second/workload.txt.gz | head -c 600 | trace trace_count_series nasa 100000 104000 110000
fi
printf '3 0 1 12\n7\n' | trace trace_count_series small 100000 000000 001000
if [ -f $T/azure-functions-2019-sample/exp_sim_invocation_traces_0.csv ]; then
  head -n 12 $T/azure-functions-2019-sample/exp_sim_invocation_traces_0.csv |
    trace trace_azure2019 sample 000000 004000 001000
fi

# --- imports: the output shapes of the AWS CLI and of gcloud (see the
# comments of models/ecs/import.c and models/cloudrun/import.c) ---------------
cat <<'EOT' | seed import_ecs target-tracking
{"ScalingPolicies": [{"PolicyARN": "arn:aws:autoscaling:us-east-1:123456789012:scalingPolicy:1:resource/ecs/service/c/web:policyName/cpu60",
  "PolicyName": "cpu60", "ServiceNamespace": "ecs", "ResourceId": "service/c/web",
  "ScalableDimension": "ecs:service:DesiredCount", "PolicyType": "TargetTrackingScaling",
  "TargetTrackingScalingPolicyConfiguration": {"TargetValue": 60.0,
    "PredefinedMetricSpecification": {"PredefinedMetricType": "ECSServiceAverageCPUUtilization"},
    "ScaleOutCooldown": 60, "ScaleInCooldown": 300},
  "Alarms": [{"AlarmName": "TargetTracking-service/c/web-AlarmHigh-1"}]}]}
EOT
{ cat <<'EOT'
{"ScalingPolicies": [{"PolicyARN": "arn:step", "PolicyName": "step-out", "ServiceNamespace": "ecs",
  "ResourceId": "service/c/web", "PolicyType": "StepScaling",
  "StepScalingPolicyConfiguration": {"AdjustmentType": "ChangeInCapacity",
    "StepAdjustments": [{"MetricIntervalLowerBound": 0.0, "MetricIntervalUpperBound": 15.0, "ScalingAdjustment": 1},
                        {"MetricIntervalLowerBound": 15.0, "ScalingAdjustment": 3}],
    "Cooldown": 60, "MetricAggregationType": "Average"},
  "Alarms": [{"AlarmName": "Step-Scaling-AlarmHigh-ECS:service/c/web"}]}]}
EOT
  printf '\0'
  cat <<'EOT'
{"MetricAlarms": [{"AlarmName": "Step-Scaling-AlarmHigh-ECS:service/c/web", "AlarmActions": ["arn:step"],
  "MetricName": "CPUUtilization", "Namespace": "AWS/ECS", "Statistic": "Average", "Period": 60,
  "EvaluationPeriods": 2, "DatapointsToAlarm": 2, "Threshold": 70.0,
  "ComparisonOperator": "GreaterThanOrEqualToThreshold", "TreatMissingData": "missing"}]}
EOT
  printf '\0service/c/web'
} | seed import_ecs step-with-alarms
cat <<'EOT' | seed import_cloudrun service
apiVersion: serving.knative.dev/v1
kind: Service
metadata:
  name: hello
spec:
  template:
    metadata:
      annotations:
        autoscaling.knative.dev/minScale: '1'
        autoscaling.knative.dev/maxScale: '100'
        run.googleapis.com/cpu-throttling: 'false'
        run.googleapis.com/startup-cpu-boost: 'true'
    spec:
      containerConcurrency: 80
      timeoutSeconds: 300
      containers:
      - image: us-docker.pkg.dev/cloudrun/container/hello
        resources:
          limits:
            cpu: 1000m
            memory: 512Mi
EOT
{ printf 'apiVersion: serving.knative.dev/v1\nkind: Service\nspec:\n  template:\n    spec:\n      containerConcurrency: 10\n'
  printf '\0'
  cat <<'EOT'
apiVersion: v1
kind: ConfigMap
metadata: {name: config-autoscaler, namespace: knative-serving}
data:
  container-concurrency-target-percentage: "70"
  stable-window: "60s"
  panic-window-percentage: "10.0"
  panic-threshold-percentage: "200.0"
  max-scale-up-rate: "1000.0"
  max-scale-down-rate: "2.0"
  scale-to-zero-grace-period: "30s"
  enable-scale-to-zero: "true"
EOT
} | seed import_cloudrun with-configmap

# --- grid: --grid arguments (one per line), then NUL and a grid file --------------
printf 'platforms[0].instances=2,4,8\n' | seed grid one
printf 'platforms[0].instances=2,4\nworkload.arrivals.rate=10/s,20/s,40/s\n' | seed grid product
printf 'platforms[0].instance={vcpu: 1, max_concurrency: 8},{vcpu: 2}\nseed="1,2",3\n' | seed grid nested
{ printf 'duration=1h\n\0'
  printf -- '- platforms[0].instance.vcpu: 1\n  platforms[0].instances: 20\n- {platforms.0.instance.vcpu: 2, "platforms[0].instances": 10}\n'
} | seed grid with-file

# --- variants: a variants.csv as `scalesim sweep` writes it (2 grids, 2 replications) ---
cat <<'EOT' | seed variants two-grids
run,variant,replication,run_seed,platforms[0].instances,workload.arrivals.rate
v0000-r00,v0000,0,42,2,10/s
v0000-r01,v0000,1,43,2,10/s
v0001-r00,v0001,0,44,2,"""a, b"""
v0001-r01,v0001,1,45,2,"""a, b"""
v0002-r00,v0002,0,46,4,10/s
v0002-r01,v0002,1,47,4,10/s
v0003-r00,v0003,0,48,4,"""a, b"""
v0003-r01,v0003,1,49,4,"""a, b"""
EOT
printf 'run,variant,replication,run_seed\nv0000-r00,v0000,0,1\n' | seed variants no-keys

# --- report_data: a run folder (trimmed files of a 30 s run of platform "p"):
# summary.json, settings.csv, p/timeseries.csv, p/decisions.csv, p/latency.csv,
# NUL-separated ----------------------------------------------------------------------
run_part() { cat; printf '\0'; }
{
cat <<'EOT' | run_part
{
  "scenario": "s",
  "seed": 1,
  "platforms": [
    {
      "name": "p",
      "kind": "fixed",
      "duration_s": 30.21555084,
      "requests": 148,
      "completed": 148,
      "errors_429": 0,
      "errors_500": 0,
      "errors_502": 0,
      "errors_503": 0,
      "errors_504": 0,
      "errors_total": 0,
      "error_rate": 0,
      "unfinished": 0,
      "waited": 0,
      "queue_wait_mean_s": null,
      "latency_mean_s": 0.1089301632,
      "latency_p50_s": 0.0697222,
      "latency_p90_s": 0.233308,
      "latency_p95_s": 0.262739,
      "latency_p99_s": 0.515112,
      "latency_p999_s": 0.525413,
      "latency_max_s": 0.6160027516,
      "instance_starts": 0,
      "cold_requests": 0,
      "cold_wait_s": 0,
      "instances_mean": 2,
      "instances_max": 2,
      "instance_seconds": 60.43110168,
      "cpu_utilization_mean": 0.2349755841,
      "cost_usd": 0,
      "cost_per_million_usd": 0,
      "decisions": 0
    }]
}
EOT
cat <<'EOT' | run_part
platform,key,value,defaulted,role
"","workload.arrivals.process","poisson",false,""
"","workload.arrivals.rate","5/s",false,""
"","workload.trace.on_error","fail",true,""
"","workload.trace.reorder_window","1m",true,""
"","workload.trace.spread","uniform",true,""
EOT
cat <<'EOT' | run_part
t_s,arrivals,completions,errors_429,errors_500,errors_502,errors_503,errors_504,waited,cold_requests,instance_starts,instance_stops,in_flight,queued,provisioning,starting,ready,draining,desired,instances,cpu_utilization,mem_utilization,latency_p50_s,latency_p95_s,latency_p99_s,cost_usd,cost_cum_usd
0,41,41,0,0,0,0,0,0,0,0,0,0.50996,0,0,0,2,0,2,2,0.224184,0,0.075469,0.375243,0.398209,0,0
10,49,48,0,0,0,0,0,0,0,0,0,0.393327,0,0,0,2,0,2,2,0.189195,0,0.0507905,0.224249,0.262739,0,0
20,58,58,0,0,0,0,0,0,0,0,0,0.687325,0,0,0,2,0,2,2,0.285834,0,0.0725387,0.375243,0.525413,0,0
EOT
cat <<'EOT' | run_part
t_s,source,event,metric,value,old_desired,new_desired,status,reason
12.5,target-tracking,scale,CPUUtilization,71.5,2,3,Successful,"monitor alarm high, 3 > 2"
EOT
cat <<'EOT'
latency_s,count
0.000534491273,1
0.0013555273,1
0.0024552042,1
0.00271071699,2
0.00350651119,1
EOT
} | seed report_data run
{ cat <<'EOT'
{
  "scenario": "s",
  "seed": 1,
  "platforms": [
    {
      "name": "p",
      "kind": "fixed",
      "duration_s": 30.21555084,
      "requests": 148,
      "completed": 148,
      "errors_429": 0,
      "errors_500": 0,
      "errors_502": 0,
      "errors_503": 0,
      "errors_504": 0,
      "errors_total": 0,
      "error_rate": 0,
      "unfinished": 0,
      "waited": 0,
      "queue_wait_mean_s": null,
      "latency_mean_s": 0.1089301632,
      "latency_p50_s": 0.0697222,
      "latency_p90_s": 0.233308,
      "latency_p95_s": 0.262739,
      "latency_p99_s": 0.515112,
      "latency_p999_s": 0.525413,
      "latency_max_s": 0.6160027516,
      "instance_starts": 0,
      "cold_requests": 0,
      "cold_wait_s": 0,
      "instances_mean": 2,
      "instances_max": 2,
      "instance_seconds": 60.43110168,
      "cpu_utilization_mean": 0.2349755841,
      "cost_usd": 0,
      "cost_per_million_usd": 0,
      "decisions": 0
    }]
}
EOT
} | seed report_data summary-only

# --- schedule: Schedule, Timezone, StartTime, EndTime, CreationTime (NUL-separated)
i=0
while IFS='|' read -r sched zone start end created; do
  i=$((i + 1))
  printf '%s\0%s\0%s\0%s\0%s' "$sched" "$zone" "$start" "$end" "$created" | seed schedule "spec-$i"
done <<'EOT'
cron(30 7 ? * MON-FRI *)|Europe/Berlin|||
cron(0 18 ? * 2-6 *)|America/New_York|2026-05-01T00:00:00Z|2026-12-31T00:00:00Z|
cron(0 0 L * ? *)|UTC|||
cron(0 12 15W * ? *)||||
cron(0 9 ? * MON#2 *)|Asia/Tokyo|||
cron(0 9 ? * 6L 2026-2028)||||
cron(0/15 8-17 * JAN,FEB ? *)||||
cron(30 2 * * ? *)|Europe/Berlin|||
at(2026-05-04T07:30:00)|Europe/Berlin|||
rate(5 minutes)||||2026-04-30T12:00:00Z
rate(1 day)||2026-05-01T06:00:00+02:00||
cron(0 0 30 2 ? *)||||
cron(* * * * * *)||||
EOT

echo "seed corpora written to $C: $(find "$C" -type f | wc -l) files"
