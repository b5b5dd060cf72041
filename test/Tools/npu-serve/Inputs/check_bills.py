"""Checks npu-serve's bills against the documented formula (docs/serving.md,
"Pricing"): every bill is round_half_up(sum(count x price) x priority x
time-of-day / 10^21) nano-units, from the counts it shows and the table; a
refused request pays 0; the totals of summary.json are the exact sums.

Usage: check_bills.py PRICES.json REPORT_DIR POLICY
Prints one line per bill and "bills ok" at the end.
"""
import json
import sys
from decimal import Decimal

prices_file, report, policy = sys.argv[1:4]
table = json.load(open(prices_file))
unit = table["nano_units_per_billion"]
items = [("macs", "mac"), ("vector_ops", "vector_op"),
         ("host_bytes", "host_byte"), ("dram_bytes", "dram_byte"),
         ("link_bytes", "link_byte")]


def ppm(x):
    return int(Decimal(str(x)) * 1000000)


def price(path, bill):
    base = sum(path[c] * unit[p] for c, p in items)
    scaled = base * ppm(bill["priority_multiplier"]) * ppm(
        bill["time_of_day_multiplier"])
    return (scaled + 10**21 // 2) // 10**21


totals = {}
bills = [json.loads(l) for l in open(f"{report}/bills-{policy}.jsonl")]
for b in bills:
    groups = [("total", "-"), ("tier", b["tier"]),
              ("client", b["client"] or "-")]
    for g in groups:
        t = totals.setdefault(g, [0, 0, 0])
        t[0] += 1
    if not b["charged"]:
        assert b["price_nano"] == 0 and b["reason"], b
        print(f"{b['id']} refused 0")
        continue
    worst, taken = price(b["worst_case"], b), price(b["taken"], b)
    assert b["price_nano"] == worst == b["worst_case"]["price_nano"], b
    assert b["taken"]["price_nano"] == taken, b
    for g in groups:
        totals[g][1] += 1
        totals[g][2] += worst
    print(f"{b['id']} hour {b['hour']} x{b['priority_multiplier']} "
          f"x{b['time_of_day_multiplier']} {worst}")

summary = next(s for s in json.load(open(f"{report}/summary.json"))
               if s["policy"] == policy)["bills"]
assert summary["currency"] == table["currency"]
listed = {("total", "-"): summary["total"]}
listed.update({("tier", k): v for k, v in summary["by_tier"].items()})
listed.update({("client", k): v for k, v in summary["by_client"].items()})
assert set(listed) == set(totals), (listed, totals)
for g, (requests, charged, revenue) in totals.items():
    s = listed[g]
    assert (s["requests"], s["charged"], s["revenue_nano"]) == (
        requests, charged, revenue), (g, s, totals[g])
print("bills ok")
