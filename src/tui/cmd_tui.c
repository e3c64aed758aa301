/*
 * cmd_tui.c — casey tui: the dashboard, from the command line.
 *
 *   casey tui [--profile NAME]
 *   casey tui --keys FILE --size COLSxLINES --dump FILE [--dump-attrs]
 *
 * The second form is for tests and benchmarks: it runs the real dashboard
 * on a virtual screen of the given size (no terminal needed), types the
 * keys of FILE (see script.c), then writes the screen's text to the dump
 * file and exits. TERM and the locale are taken from the environment, so
 * tests pin them.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casey/db.h"
#include "casey/score.h"
#include "casey/tiers.h"
#include "../cli/cli.h"
#include "tui.h"

int cmd_tui(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "keys", required_argument, NULL, 'k' },
		{ "size", required_argument, NULL, 's' },
		{ "dump", required_argument, NULL, 'o' },
		{ "dump-attrs", no_argument, NULL, 'A' },
		{ NULL, 0, NULL, 0 },
	};
	struct tui_opts o = { .profile = CS_DEFAULT_PROFILE, .cols = 80, .lines = 24 };
	static struct cs_tiers tiers;	/* casey_tier() points into it */
	struct sqlite3 *db;
	bool sized = false;
	int opt, rc;
	char tail;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'p':
			o.profile = optarg;
			break;
		case 'k':
			o.keys_path = optarg;
			break;
		case 's':
			if (sscanf(optarg, "%dx%d%c", &o.cols, &o.lines, &tail) != 2 ||
			    o.cols < 1 || o.lines < 1 || o.cols > 1000 || o.lines > 1000)
				return cli_usage("tui: --size is COLSxLINES, e.g. 80x24, not '%s'",
						 optarg);
			sized = true;
			break;
		case 'o':
			o.dump_path = optarg;
			break;
		case 'A':
			o.dump_attrs = true;
			break;
		default:
			return cli_usage("tui: unknown option");
		}
	}
	if (optind < argc)
		return cli_usage("tui: unexpected argument '%s'", argv[optind]);
	if ((sized || o.dump_attrs) && !o.dump_path)
		return cli_usage("tui: --size and --dump-attrs go with --dump");
	if (!o.dump_path && (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))) {
		cs_error(&cli->diag, "the dashboard needs a terminal; "
			 "'casey summary' prints the same figures");
		return EXIT_FAIL;
	}
	if (cs_tiers_load(NULL, &tiers, &cli->diag) || cli_open_db(cli, &db))
		return EXIT_FAIL;
	if (cs_tiers_sql(db, &tiers, &cli->diag)) {
		cs_db_close(db);
		return EXIT_FAIL;
	}
	o.tiers = &tiers;
	o.db = db;
	o.db_path = cli->db_path;
	o.as_of = cli->as_of;
	rc = tui_run(&o, &cli->diag);
	cs_db_close(db);
	return rc == 0 ? EXIT_OK : rc == 1 ? EXIT_FAIL : rc;
}
