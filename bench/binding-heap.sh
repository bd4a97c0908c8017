#!/usr/bin/env bash
# The location store with a million AORs (1,100,000 bindings, realistic values: see
# bench/src/main/java/dev/switchboard/bench/RealisticBindings.java): heap used per binding after a
# full collection, the largest classes of the live heap, then JMH timings of a lookup (registered
# and unknown AOR) and of a refresh.
#   bench/binding-heap.sh        (AORS=... for another count; JMH="-f 1 -wi 2 -i 3" to change the JMH run)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f bench/target/benchmarks.jar ] || ./mvnw -B -q -DskipTests package -pl bench -am
java -cp bench/target/benchmarks.jar dev.switchboard.bench.BindingHeap "${AORS:-1000000}" histogram 2>/dev/null
java -jar bench/target/benchmarks.jar LocationLookupBenchmark ${JMH:--f 1 -wi 2 -w 2s -i 3 -r 2s} 2>&1 \
  | grep -E "^Benchmark|LocationLookupBenchmark\."
