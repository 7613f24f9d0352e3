#!/usr/bin/env bash
# Writes a FinSight CSV (see the README's "CSV import and export") to stdout: COUNT transactions
# (default 2000) across the first 50 symbols of the starter directory over YEARS years (default
# 10) ending yesterday. Deterministic for a given end date: fixed seed, no wall-clock randomness.
#
# Mix: one opening buy per symbol, a monthly deposit, then buys (~70%), partial sells (~18%,
# never more than 40% of what is held, so all 50 positions stay open) and dividends (~12%).
# Cash is tracked (deposits), so the replay exercises the full ledger.
#
# usage: gen-transactions.sh STARTER_SYMBOLS_CSV [COUNT] [YEARS]
set -euo pipefail

symbols_csv=$1
count=${2:-2000}
years=${3:-10}

end=$(date -u -d 'yesterday' +%F)
start=$(date -u -d "$end - $years years" +%F)
span_days=$(( ($(date -u -d "$end" +%s) - $(date -u -d "$start" +%s)) / 86400 ))

# awk emits "offset<TAB>row-without-date"; one `date -f` call turns offsets into dates.
tail -n +2 "$symbols_csv" | cut -d, -f1 | head -n 50 | awk -v count="$count" -v span="$span_days" -v years="$years" '
BEGIN { srand(20250101); n = 0 }
{ sym[n++] = $1 }
END {
    if (n < 50) { print "need 50 symbols, found " n > "/dev/stderr"; exit 1 }
    months = years * 12
    trades = count - n - months            # rows left after opening buys and deposits
    if (trades < 0) { print "count too small" > "/dev/stderr"; exit 1 }
    # Monthly deposits, from day 0 (before the opening buys of the same day).
    for (m = 0; m < months; m++) {
        printf "%d\tdeposit,,,,,%d,,,monthly\n", int(m * span / months), 20000 + int(rand() * 20000)
    }
    # Opening buys in the first 50 days, one symbol a day.
    for (i = 0; i < n; i++) {
        price[i] = 20 + int(rand() * 480)
        q = 5 + int(rand() * 46)
        held[i] = q
        printf "%d\tbuy,%s,%d,%.2f,1,,,,opening\n", i, sym[i], q, price[i]
    }
    # The rest spread evenly after the opening buys, in date order.
    for (k = 0; k < trades; k++) {
        day = n + int(k * (span - n) / trades)
        i = int(rand() * n)
        price[i] = price[i] * (0.97 + rand() * 0.065)    # a drifting walk, cents
        if (price[i] < 5) price[i] = 5
        r = rand()
        if (r < 0.18 && held[i] >= 4) {
            q = 1 + int(rand() * int(held[i] * 0.4))
            held[i] -= q
            printf "%d\tsell,%s,%d,%.2f,1,,,,\n", day, sym[i], q, price[i]
        } else if (r < 0.30) {
            printf "%d\tdividend,%s,,,,%.2f,,,\n", day, sym[i], 1 + rand() * 99
        } else {
            q = 1 + int(rand() * 20)
            held[i] += q
            printf "%d\tbuy,%s,%d,%.2f,1,,,,\n", day, sym[i], q, price[i]
        }
    }
}' | sort -s -n -k1,1 > "${TMPDIR:-/tmp}/finsight-gen.$$"

echo "date,type,symbol,quantity,price,fees,amount,split_numerator,split_denominator,notes"
paste -d, \
    <(cut -f1 "${TMPDIR:-/tmp}/finsight-gen.$$" | sed "s|.*|$start + & days|" | date -u -f - +%F) \
    <(cut -f2 "${TMPDIR:-/tmp}/finsight-gen.$$")
rm -f "${TMPDIR:-/tmp}/finsight-gen.$$"
