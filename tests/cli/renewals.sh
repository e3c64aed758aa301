# Sourced by run.sh: customer tiers (seed 003) and renewals (seed 004)
# through the command line. Uses run.sh's helpers ($CASEY, $T, $TOP,
# expect_eq, ok, bad).

# --- tiers: the edges to the cent, a named tier over the ARR, unknown ARR ----
tdb="$T/tiers.db"
cat >"$T/tiers.csv" <<'CSV'
customer_id,name,segment,arr
T01,At 100k,,100000.00
T02,Just under 100k,,99999.99
T03,At 25k,,25000
T04,Just under 25k,,24999.99
T05,At 5k,,5000.00
T06,Just under 5k,,4999.99
T07,Named Enterprise,Enterprise,1200
T08,Named mid market,mid market,
T09,Nothing known,,
T10,Unknown segment,Public Sector,
T11,Unknown segment with ARR,Public Sector,30000
T12,Named trial,TRIAL,250000
CSV
"$CASEY" --db "$tdb" import "$T/tiers.csv" >/dev/null 2>&1
"$CASEY" --db "$tdb" --as-of 2026-11-20 score >/dev/null 2>&1
expect_eq "tier of each customer (csv)" \
"T01,Enterprise
T02,Mid-Market
T03,Mid-Market
T04,Small Business
T05,Small Business
T06,Trial/Freemium
T07,Enterprise
T08,Mid-Market
T09,
T10,
T11,Mid-Market
T12,Trial/Freemium" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --format csv | tail -n +2 | sort |
	   awk -F, '{ print $1 "," $NF }')"
tj=$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --format json)
case "$tj" in
*'"customer_id":"T09","name":"Nothing known","segment":null,"tier":null,"arr":null'*) ok ;;
*) bad "customers json: no tier is null" ;;
esac
case "$tj" in
*'"customer_id":"T02","name":"Just under 100k","segment":null,"tier":"Mid-Market","arr":99999.99'*) ok ;;
*) bad "customers json: the tier beside the segment" ;;
esac
expect_eq "customers --tier enterprise" "T01 T07 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier enterprise --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers --tier 'Small-Business' (case and punctuation do not count)" "T04 T05 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier Small-Business --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers --tier none" "T09 T10 " \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier none --format csv |
	   tail -n +2 | cut -d, -f1 | sort | tr '\n' ' ')"
expect_eq "customers table: the tier column, - for none" \
	"T09        Nothing known                         unknown" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers | grep '^T09 ' | cut -c1-56)"
expect_eq "customers table: no tier is -" "-" \
	"$("$CASEY" --db "$tdb" --as-of 2026-11-20 customers | grep '^T09 ' | awk '{ print $NF }')"
"$CASEY" --db "$tdb" --as-of 2026-11-20 customers --tier gold >"$T/tier.out" 2>&1
expect_eq "customers --tier gold exits 2" 2 $?
expect_eq "customers --tier gold says which tiers there are" \
	"casey: customers: --tier is one of Enterprise, Mid-Market, Small Business, Trial/Freemium, none, not 'gold'" \
	"$(head -1 "$T/tier.out")"

# A broken tiers.ini is refused with its FILE:LINE, before the database is read.
mkdir -p "$T/badassets"
cp -R "$TOP/assets/." "$T/badassets/"
sed 's/^arr_below = 100000$/arr_below = 99999.99/' "$TOP/assets/tiers.ini" >"$T/badassets/tiers.ini"
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$tdb" --as-of 2026-11-20 customers >"$T/badtier.out" 2>&1
expect_eq "a gap in tiers.ini: customers exits 1" 1 $?
expect_eq "a gap in tiers.ini is named with its line" \
	"casey: $T/badassets/tiers.ini:29: ARR from 99999.99 to 100000.00 has no tier ([Mid-Market] ends, [Enterprise] starts later)" \
	"$(cat "$T/badtier.out")"
sed 's/^csm_ratio = 1:20$/csm_ratio = twenty/' "$TOP/assets/tiers.ini" >"$T/badassets/tiers.ini"
CASEY_ASSETS="$T/badassets" "$CASEY" --db "$tdb" --as-of 2026-11-20 customers >"$T/badtier.out" 2>&1
expect_eq "a bad csm_ratio is named with its line" \
	"casey: $T/badassets/tiers.ini:43: csm_ratio is '1:N' or 'automated', not 'twenty'" \
	"$(cat "$T/badtier.out")"
cp "$TOP/assets/tiers.ini" "$T/badassets/tiers.ini"
