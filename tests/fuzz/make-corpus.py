#!/usr/bin/env python3
"""Write the fuzzers' seed corpora: tests/fuzz/corpus/{import,ini}/ and the
dictionaries tests/fuzz/{import,ini}.dict. Run from anywhere; the files are
committed, so this only needs running again to change them.

import seeds are the shapes real exports come in, each a few rows. A seed
may start with fuzz_import's option byte (see fuzz_import.c): 0x01
--skip-bad, 0x02 --dry-run, 0x04 --map zendesk, 0x08 --map hubspot, 0x0c
--date-format %d/%m/%Y, 0x10/0x14/0x18/0x1c --kind customers/tickets/nps/usage.
"""
import os
import re

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

ZENDESK_HDR = ("Summation column,Id,Requester,Requester id,Requester external id,"
               "Requester email,Requester domain,Submitter,Assignee,Group,Subject,Tags,"
               "Status,Priority,Via,Ticket type,Created at,Updated at,Assigned at,"
               "Organization,Due date,Initially assigned at,Solved at,Resolution time,"
               "Satisfaction Score,Group stations,Assignee stations,Reopens,Replies,"
               "First reply time in minutes")


def zendesk_row(i, org, sat):
    return (f",{1000 + i},Ann Lee,{500 + i},,ann@example.com,example.com,Ann Lee,"
            f"Bo Ng,Support,\"Export fails, again\",export bug,Solved,High,Web form,"
            f"Problem,2026-11-0{i} 09:15,2026-11-0{i} 10:00,2026-11-0{i} 09:20,{org},,"
            f"2026-11-0{i} 09:20,2026-11-0{i} 11:00,105,{sat},1,1,0,2,12")


ZENDESK = ZENDESK_HDR + "\n" + "\n".join([
    zendesk_row(1, "Acme Analytics", "Good"),
    zendesk_row(2, "C00002", "Bad with comment"),
    zendesk_row(3, "Nova Outdoor Ltd", "Offered"),
]) + "\n"

HUBSPOT = ('"Record ID","Company name","Company owner","Create Date",'
           '"Annual recurring revenue","Customer tier","Last Activity Date","Industry"\n'
           '"18234","Acme Analytics","Dana Scully","2024-03-15 10:02","$120,000",'
           '"Enterprise","2026-11-02","Software"\n'
           '"18235","Beta ""B"" Logistics, Inc.","Fox Mulder","2024-04-01","48k",'
           '"Mid-Market","","Logistics"\n'
           '"18236","Müller Logistik GmbH","","2025-01-20","","Small Business",'
           '"2026-10-30 16:45","Logistics"\n')

CUSTOMERS = ("customer_id,name,segment,plan,arr,seats,csm,created_at,renewal_date,status,"
             "last_contact_at,executive_escalation\n"
             "C00001,Nova Outdoor Ltd,Trial,Growth,2300,6,Maya Chen,2022-10-16,2027-10-16,"
             "active,2026-11-15,no\n"
             "C00010,\"Beta \"\"B\"\" Logistics, Inc.\",Mid-Market,Growth,$48k,40,Lee,"
             "2024-03-01,2027-03-01,Downgrade Requested,2026-09-12,yes\n"
             "C00011,Müller Logistik GmbH,Small Business,Starter,,12,Dana,2026-10-01,"
             "2027-10-01,active,,\n")

SAMPLES = {
    "customers": CUSTOMERS,
    "usage": "customer_id,date,active_days_30d,active_users,seats,paid_features_used,"
             "paid_features_total,core_actions_30d,session_minutes_avg,errors_30d\n"
             "C00001,2026-08-28,24,3,4,8,8,2118,26.0,3\n"
             "C00001,2026-09-04,26,3,4,8,8,2471,24.6,0\n"
             "C00002,2026-09-11,0,0,4,0,8,0,,\n",
    "tickets": "ticket_id,customer_id,created_at,subject,description,category,tags,priority,"
               "impact,status,resolved_at,sentiment,csat,feature\n"
               "T000001,C00003,2026-05-25T05:08:00Z,Request: SAML single sign-on,"
               "We need SSO.,,sso saml security,normal,low,open,,,,\n"
               "T000002,C00004,2026-05-25T06:43:00Z,Hard to build a simple report,"
               "\"It took 34 minutes.\nThanks,\nAnn\",Usability Issue,reports,high,medium,"
               "solved,2026-05-26 10:00,frustrated,2,Dashboards\n"
               "T000003,Acme Analytics,2026-05-26,Export broken,Crash on export,"
               "Bug Report,,P1,high,open,,angry,,Bulk export\n",
    "nps": "response_id,customer_id,date,score,comment\n"
           "N000001,C00002,2026-01-30,6,\nN000002,C00002,2026-04-22,9,\n"
           "N000003,C00002,2026-07-23,10,\"Great support, our CSM is fantastic.\"\n",
    "csat": "response_id,customer_id,date,score,context,ticket_id,comment\n"
            "S000001,C00004,2026-06-05,3,Reporting,T000002,\n"
            "S000002,C00001,2026-05-27,Good,Bulk import,T000006,Nobody answered.\n"
            "S000003,C00003,2026-05-30,1,Dashboards,T000008,\n",
    "outreach": "customer_id,date,channel,responded,note\n"
                "C00001,2026-05-28,call,yes,Call about usage dip\n"
                "C00001,2026-07-25,email,yes,Answered renewal questions by email\n"
                "C00001,2026-09-09,email,no,\"Check-in email, no reply\"\n",
    "features": "feature_id,name,released_at,paid\n"
                "F01,Dashboards,2024-12-08,no\nF02,Scheduled Reports,2025-01-21,yes\n"
                "F03,CSV Export,2025-02-18,yes\n",
    "feature_usage": "customer_id,feature_id,first_used_at,uses\n"
                     "C00001,F02,2025-04-29,1713\nC00001,F01,2026-07-12,282\n"
                     "C00002,Bulk export,2025-05-17,1580\n",
    "onboarding": "customer_id,milestone,reached_at\n"
                  "C00005,kickoff,2026-10-22\nC00001,kickoff,2026-11-03\n"
                  "C00002,go_live,2026-10-06\n",
    "payments": "Invoice Number,Customer ID,Invoice Date,Amount,Payment Status\n"
                "INV-1,C00001,2026-10-01,\"1,000.00\",Paid\n"
                "INV-2,C00001,2026-11-01,$1k,Card declined\nINV-3,C00002,2026-11-02,,maybe\n",
    "plan_changes": "customer_id,date,from_plan,to_plan,kind,from_arr,to_arr\n"
                    "C00001,2026-09-01,Starter,Growth,,6000,12000\n"
                    "C00002,2026-10-15,Growth,,cancel,12000,\n"
                    "C00001,2026-10-20,Growth,Starter,sideways,,\n",
}

IMPORT = {
    "zendesk.csv": ZENDESK,
    "zendesk-map.csv": "\x04" + ZENDESK,
    "hubspot.csv": HUBSPOT,
    "hubspot-map.csv": "\x08" + HUBSPOT,
    "bom.csv": "\ufeff" + CUSTOMERS,
    "crlf.csv": CUSTOMERS.replace("\n", "\r\n"),
    "cr-only.csv": CUSTOMERS.replace("\n", "\r"),
    "quoted-newlines.csv": SAMPLES["tickets"].replace("Crash on export",
                                                      "\"Crash\r\non \"\"export\"\"\n\""),
    "footer.csv": CUSTOMERS + ",,,,\"122,300\",,,,,,,\nTotal,,,,\"122,300\",,,,,,,\n"
                  "\"Generated by CRM on 2026-11-20\"\n",
    "preamble.csv": "Customer report\nExported 2026-11-20\n\n" + CUSTOMERS,
    "semicolons.csv": "customer_id;name;arr;created_at\nC00001;Nova;2300;16.10.2022\n"
                      "C00012;\"Semi; Colon\";\"1,5\";15/03/2026\nC00013;Tres;;03/04/2026\n",
    "broken-quote.csv": "customer_id,name,arr\nC00001,\"Nova Outdoor Ltd,2300\n"
                        "C00002,Pioneer,12\n",
    "stray-quote.csv": "customer_id,name,arr\nC00001,Nova \"Outdoor\" Ltd,2300\n"
                       "C00002,\"Pio\"neer,12\nC00003,x\"\",1\n",
    "tabs.tsv": CUSTOMERS.replace(",", "\t"),
    "skip-bad.csv": "\x01customer_id,name,arr,seats,status\nC00001,A,abc,1,active\n"
                    "C00001,B,1,x,active\nc00001,C,-1,2.5,paused\n C00002 ,D,$1.2M,3,churned\n",
    "dry-run.csv": "\x02" + SAMPLES["usage"],
    "date-format.csv": "\x0c" + "customer_id,name,created_at,renewal_date\n"
                       "C00001,A,03/04/2026,31/12/2099\nC00002,B,29/02/2024,1/1/1970\n"
                       "C00003,C,2026-03-15,45000\n",
    "dates.csv": "customer_id,name,created_at,renewal_date,last_contact_at\n"
                 "C00001,A,15 Mar 2026,\"Mar 15, 2026\",15-Mar-2026\n"
                 "C00002,B,46100.5,2026-03-15T14:02:05.123+02:00,March 15 2026\n"
                 "C00003,C,1900-01-01,2200-01-01,03/04/26\n",
    "numbers.csv": "customer_id,name,arr,seats\nC00001,A,\"(1,234)\",\"1,234\"\n"
                   "C00002,B,USD 1200,+7\nC00003,C,1.2bn,12.0\nC00004,D,€ 3k,9223372036854775808\n",
    "kind-customers.csv": "\x10" + "id,title,revenue\nC00001,A,1\n",
    "kind-tickets.csv": "\x14" + "ticket,who,when\nT1,C00001,2026-01-01\n",
    "kind-nps.csv": "\x18" + "customer_id,date,score\nC00001,2026-01-01,11\nC00001,2026-01-01,10\n",
    "kind-usage.csv": "\x1c" + "customer_id,date,active_days_30d\nC00001,2026-01-01,32\n",
    "nps-csat-tie.csv": "customer_id,date,score\nC00001,2026-01-01,5\n",
    "hostile.csv": "customer_id,name\nC00001,\"\x1b]0;pwned\x07Evil\"\nC00002,\u202eexe.txt\n"
                   "C00003,=HYPERLINK(\"http://x\")\nC00004,'); DROP TABLE customers;--\n",
    "nul.csv": "customer_id,name\nC00001,A\x00B\nC00\x002,B\n",
    "bad-utf8.csv": "customer_id,name\nC00001,\xff\xfe\nC00002,caf\xc3\n",
    "utf16.csv": "\xff\xfe" + "c\x00u\x00",
    "empty.csv": "",
    "header-only.csv": "customer_id,name,arr\n",
    "wide.csv": "customer_id,name," + ",".join(f"x{i}" for i in range(200)) + "\nC00001,A\n",
}
for kind, text in SAMPLES.items():
    IMPORT[f"sample-{kind}.csv"] = text


def header_words():
    """Canonical names and aliases from kinds.c, for the dictionary."""
    src = open(os.path.join(TOP, "src/core/kinds.c"), encoding="utf-8").read()
    words = set()
    for m in re.finditer(r'\{ "([a-z_0-9]+)", CT_', src):
        words.add(m.group(1))
    for m in re.finditer(r'"([a-z0-9|]+)"', src):
        for w in m.group(1).split("|"):
            if len(w) > 2:
                words.add(w)
    return sorted(words)


IMPORT_TOKENS = ["\ufeff", "\"", "\"\"", "\r\n", "\r", ";", "\t", ",,", "Total",
                 "Generated by", "$", "k", "M", "bn", "USD", "EUR", "(1,234)", "1,234.50",
                 "2026-03-15", "2026-03-15T14:02:05Z", "+02:00", "15/03/2026", "03/04/2026",
                 "15 Mar 2026", "Mar 15, 2026", "46100.5", "12:30 PM", "Good", "Bad",
                 "Good with comment", "Unoffered", "yes", "no", "active", "cancel_requested",
                 "downgrade_requested", "churned", "positive", "angry", "high", "P0",
                 "C00001", "Acme", "Acme Analytics", "F01", "Bulk export", "\x00", "\xff",
                 "\u009b", "\u202e", "\x1b[", "Summation column", "Organization",
                 "Satisfaction Score", "Record ID", "Company name"]

INI = {}
for sub in ("maps", "profiles"):
    for f in sorted(os.listdir(os.path.join(TOP, "assets", sub))):
        INI[f"{sub}-{f}"] = open(os.path.join(TOP, "assets", sub, f), encoding="utf-8").read()
INI["rules.ini"] = open(os.path.join(TOP, "assets/rules.ini"), encoding="utf-8").read()
INI["signals.ini"] = open(os.path.join(TOP, "assets/signals.ini"), encoding="utf-8").read()
INI["tiers.ini"] = open(os.path.join(TOP, "assets/tiers.ini"), encoding="utf-8").read()
INI["renewals.ini"] = open(os.path.join(TOP, "assets/renewals.ini"), encoding="utf-8").read()
INI.update({
    "map-small.ini": "[profile]\nkind = customers\n[columns]\nAccount = customer_id\nX = -\n",
    "map-bad-kind.ini": "[profile]\nkind = planets\n",
    "profile-small.ini": "[profile]\nname = t\nversion = 1\n[bands]\ngreen = 80\nyellow = 50\n"
                         "[component.a]\nweight = 1\n[measure.a.m]\nmetric = growth\n"
                         "scheme = linear\nrange = -1, 1\nweight = 1\nmissing = points 60\n",
    "profile-buckets.ini": "[profile]\nname = b\nversion = 2\n[bands]\ngreen = 70\nyellow = 40\n"
                           "[component.c]\nweight = 1\n[measure.c.n]\nmetric = nps_latest\n"
                           "buckets = >=9:100, >6:60, n<1:50, else:20\nzero = 0\nweight = 1\n"
                           "missing = exclude\n",
    "rules-small.ini": "[general]\nweakest = 2\n[advice]\ngrowth = call them\n"
                       + "".join(f"[{s}]\nowner = X\ndue_hours = 1\n" for s in (
                           "at_risk", "immediate", "weekly_review", "churn_risk", "check_in",
                           "product_gap", "documentation_gap", "bug", "adoption_gap",
                           "theme_escalation")),
    "syntax.ini": "[profile\nkind\n= x\n;c\n#c\n  indented = 1\nkey : value\n",
})
INI_TOKENS = ["[Enterprise]", "arr_min = ", "arr_below = ", "response_sla = < 2 h", "48 h+",
              "review_days = ", "csm_ratio = 1:", "automated", "onboarding_days = ", "aliases = ",
              "self-paced", "[pipeline]", "windows = 30, 60", "[T-90]", "offset_days = ",
              "title = ", "text = ", "[churn]", "[churn.segments]", "[churn.playbook]", "[segments]",
              "[segments.actions]", "[expansion]", "[expansion.actions]", "40:40, 60:25",
              "[profile]", "[columns]", "[bands]", "[component.", "[measure.", "[general]",
              "[advice]", "kind = ", "description", "name", "version", "weight = ",
              "metric = ", "scheme = ", "buckets = ", ">=", ">", "n<", "else:", "range = ",
              "zero = ", "missing = exclude", "missing = points ", "green", "yellow",
              "owner = ", "enabled = yes", "due_hours", "min_tickets", "arr_above",
              "arr_at_least", "window_days", "drop_points", "usage_drop", "no_contact_days",
              "tickets_30d", "min_days_released", "max_share", "weakest", "linear",
              "percentile", "1e308", "nan", "inf", "-0", "0x10", " = -"]
for m in ("active_days_30d", "feature_breadth", "core_actions_30d", "seat_utilisation",
          "nps_latest", "csat_avg_90d", "ticket_sentiment", "outreach_response",
          "days_since_contact", "growth", "usage_change_30d", "tenure_days", "errors_30d",
          "session_minutes_avg"):
    INI_TOKENS.append(m)
for s in ("at_risk", "immediate", "weekly_review", "churn_risk", "check_in", "product_gap",
          "documentation_gap", "bug", "adoption_gap", "theme_escalation"):
    INI_TOKENS.append(f"[{s}]")
for k in ("customers", "usage", "tickets", "nps", "csat", "outreach", "features",
          "feature_usage", "onboarding"):
    INI_TOKENS.append(k)


def write_corpus(name, files):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    for f in os.listdir(d):
        os.remove(os.path.join(d, f))
    for f, text in files.items():
        data = text.encode("latin-1") if f in ("bad-utf8.csv", "utf16.csv") \
            else text.encode("utf-8")
        with open(os.path.join(d, f), "wb") as out:
            out.write(data)


def dict_escape(s):
    out = ""
    for b in s.encode("utf-8") if not s.startswith("\xff") else s.encode("latin-1"):
        if b == 0x22 or b == 0x5c or b < 0x20 or b >= 0x7f:
            out += f"\\x{b:02x}"
        else:
            out += chr(b)
    return out


def write_dict(name, tokens):
    with open(os.path.join(HERE, f"{name}.dict"), "w") as out:
        out.write(f"# libFuzzer dictionary for fuzz_{name} (written by make-corpus.py)\n")
        for t in dict.fromkeys(tokens):
            out.write(f'"{dict_escape(t)}"\n')


write_corpus("import", IMPORT)
write_corpus("ini", INI)
write_dict("import", header_words() + IMPORT_TOKENS)
write_dict("ini", INI_TOKENS)
