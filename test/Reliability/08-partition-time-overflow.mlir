// Finding 08: a link latency of 2^54 ns overflowed the partitioner's
// picosecond arithmetic (a latency below its own bound, and programs that
// deadlock); a bandwidth of 2^62 GB/s overflowed the transfer cost. Both are
// now clear errors, with no output file. The system limits table (finding
// 12) refuses both at the door; the partitioner's own range check
// (checkTimeRange) stays behind it for values within the table.
// RUN: rm -f %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --npu-set-system=system=%S/Inputs/08-link_latency_2p54.json --npu-partition=report=table -o %t.out 2>&1 | FileCheck %s --check-prefix=LATENCY
// RUN: not test -e %t.out
// RUN: ulimit -v 1000000 && not npu-opt %s --npu-set-system=system=%S/Inputs/08-link_bw_2p62.json --npu-partition=report=table -o %t.out 2>&1 | FileCheck %s --check-prefix=BANDWIDTH
// RUN: not test -e %t.out

// LATENCY: error: system description {{.*}}08-link_latency_2p54.json: links[0].latency_ns: 18014398509481984 exceeds the limit of 1099511627776
// BANDWIDTH: error: system description {{.*}}08-link_bw_2p62.json: links[0].bandwidth_gbps: 4611686018427387903 exceeds the limit of 1099511627776
func.func @m(%x: tensor<1x128xf32> {npu.name = "x"}) -> tensor<1x128xf32> {
  %w = arith.constant dense<0.5> : tensor<128x128xf32>
  %a = npu.matmul %x, %w : (tensor<1x128xf32>, tensor<128x128xf32>) -> tensor<1x128xf32>
  %b = npu.relu %a : tensor<1x128xf32>
  %c = npu.matmul %b, %w : (tensor<1x128xf32>, tensor<128x128xf32>) -> tensor<1x128xf32>
  return %c : tensor<1x128xf32>
}
