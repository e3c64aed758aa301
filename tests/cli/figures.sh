# Sourced by run.sh: the figures a score run keeps for its date (figures.h)
# are what the summary and the themes read, and only while they hold: an
# import, a recategorised ticket or a purge since the run makes the readers
# compute from the data again, so nobody sees a stale figure.
# Uses run.sh's helpers ($CASEY, $T, $TOP, expect_eq, ok, bad).

fdb="$T/figures.db"
F() { "$CASEY" --db "$fdb" --as-of 2026-11-20 "$@"; }
fq() { sqlite3 "$fdb" "$1"; }
nps_counts() { F summary --format json | grep -o '"nps_responses":{[^}]*}'; }

F import "$TOP"/sample-data/*.csv >/dev/null 2>&1
nfiles=$(ls "$TOP"/sample-data/*.csv | wc -l | tr -d ' ')	# one import each
F score >/dev/null 2>&1
expect_eq "score stores its date's figures" "2026-11-20|$nfiles|300|4|91|43|25|587|587|367" \
	"$(fq "SELECT as_of, import_id, customers, churned, nps_promoters, nps_passives,
	       nps_detractors, csat_responses, csat_scored, csat_satisfied FROM run_figures")"
# ... which are what the answers of the 90 days say (2026-08-23 to 2026-11-20)
expect_eq "the stored NPS counts are the window's" "91|43|25" \
	"$(fq "SELECT sum(score >= 9), sum(score BETWEEN 7 AND 8), sum(score <= 6) FROM nps
	       WHERE date BETWEEN '2026-08-23' AND '2026-11-20'")"
expect_eq "every theme of the week is stored" \
	"$(F themes --format csv | sed 1d | wc -l | tr -d ' ')" \
	"$(fq "SELECT count(*) FROM run_themes WHERE as_of = '2026-11-20'")"

# The summary reads the stored row: tampered with here on purpose, it shows.
fq "UPDATE run_figures SET nps_promoters = nps_promoters + 1000, customers = 7"
expect_eq "summary reads the stored NPS" '"nps_responses":{"promoters":1091,"passives":43,"detractors":25}' \
	"$(nps_counts)"
expect_eq "summary reads the stored customer count" 1 \
	"$(F summary --format json | grep -c '"customers":7,')"

# An import since the run: the stored row is stale, the summary counts
# the data, with the new promoter, and without a new score run.
printf 'response_id,customer_id,date,score,comment\nN900001,C00004,2026-11-19,10,\n' \
	>"$T/nps-new.csv"
F import "$T/nps-new.csv" >/dev/null 2>&1
expect_eq "after an import the summary counts the answers again" \
	'"nps_responses":{"promoters":92,"passives":43,"detractors":25}' "$(nps_counts)"
expect_eq "... and the customers" 1 "$(F summary --format json | grep -c '"customers":300,')"
F score >/dev/null 2>&1
expect_eq "the next run stores them afresh" "$((nfiles + 1))|92" \
	"$(fq "SELECT import_id, nps_promoters FROM run_figures WHERE as_of = '2026-11-20'")"

# The head of the run's at-risk list is kept too, and read.
expect_eq "the run keeps the summary's 25 at-risk customers" "25|C00187" \
	"$(fq "SELECT count(*), min(CASE WHEN rank = 0 THEN customer_id END) FROM run_at_risk
	       WHERE profile = 'default' AND as_of = '2026-11-20'")"
fq "UPDATE run_at_risk SET name = 'Kept Name' WHERE rank = 0"
expect_eq "the summary reads the kept head" 1 \
	"$(F summary --format json | grep -c '"at_risk":\[{"customer_id":"C00187","name":"Kept Name"')"
# The customer renamed by an import: the head is stale, the snapshots are read.
{ head -1 "$TOP/sample-data/customers.csv"
  grep '^C00187,' "$TOP/sample-data/customers.csv" | sed 's/^C00187,[^,]*,/C00187,Renamed Health,/'
} >"$T/renamed.csv"
F import "$T/renamed.csv" >/dev/null 2>&1
expect_eq "after an import the at-risk list is read again" 1 \
	"$(F summary --format json | grep -c '"at_risk":\[{"customer_id":"C00187","name":"Renamed Health"')"
# A run over that date again (here within a history) forgets the head first.
F score >/dev/null 2>&1
fq "UPDATE run_at_risk SET name = 'Kept Name' WHERE rank = 0"
F score --from 2026-11-20 --to 2026-11-27 >/dev/null 2>&1
expect_eq "a history run replacing the date's snapshots forgets its head" "0|1" \
	"$(fq "SELECT (SELECT count(*) FROM run_lists WHERE as_of = '2026-11-20'),
	              (SELECT count(*) FROM run_lists WHERE as_of = '2026-11-27')")"
expect_eq "... and the summary reads the snapshots" 1 \
	"$(F summary --format json | grep -c '"at_risk":\[{"customer_id":"C00187","name":"Renamed Health"')"
F score >/dev/null 2>&1

# The week's themes: stored, then a CSM moves a ticket to another category.
fq "UPDATE run_themes SET tickets = 999 WHERE rank = 0"
expect_eq "themes reads the stored week" "Feature Request,excel export xlsx,999,6,717176.54" \
	"$(F themes --format csv | sed -n 2p)"
F tickets set T002344 "Bug Report" >/dev/null 2>&1
expect_eq "tickets set exits 0" 0 $?
F themes --format csv >"$T/themes-after.csv"
expect_eq "a recategorised ticket: the themes are counted again" \
	"Feature Request,excel export xlsx,6,6,717176.54" "$(sed -n 2p "$T/themes-after.csv")"
expect_eq "the ticket left its old group" "Performance Issue,csv export timeout,9,9,701400.00" \
	"$(grep '^Performance Issue,csv export timeout,' "$T/themes-after.csv")"
expect_eq "and counts in its new one" "Bug Report,csv export timeout,1,1,10400.00" \
	"$(grep '^Bug Report,csv export timeout,' "$T/themes-after.csv")"
expect_eq "the summary's themes are the counted ones" 1 \
	"$(F summary --format json | grep -c '"category":"Performance Issue","theme":"csv export timeout","tickets":9,"customers":9,"arr":701400.00')"
expect_eq "the run's NPS still holds" "1|0" \
	"$(fq "SELECT count(*), coalesce(sum(themes_ok), 0) FROM run_figures
	       WHERE as_of = '2026-11-20'")"

# A purge deletes events: nothing stored holds (a dry run keeps it all).
F purge --older-than 200d --dry-run >/dev/null 2>&1
expect_eq "purge --dry-run keeps the figures" 2 "$(fq "SELECT count(*) FROM run_figures")"
F purge --older-than 200d >/dev/null 2>&1
expect_eq "purge forgets them" "0|0|0" \
	"$(fq "SELECT (SELECT count(*) FROM run_figures), (SELECT count(*) FROM run_themes),
	              (SELECT count(*) FROM run_lists)")"
