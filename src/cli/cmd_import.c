/* cmd_import.c — casey import. */
#include <getopt.h>
#include <stdlib.h>
#include <unistd.h>

#include <sqlite3.h>

#include "casey/db.h"
#include "casey/import.h"
#include "casey/value.h"
#include "cli.h"

int cmd_import(struct cli *cli, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "kind", required_argument, NULL, 'k' },
		{ "map", required_argument, NULL, 'm' },
		{ "date-format", required_argument, NULL, 'f' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct cs_import_opts io = { .progress = isatty(STDERR_FILENO) };
	sqlite3 *db;
	char today[11];
	int opt, rc;

	while ((opt = getopt_long(argc, argv, "+", opts, NULL)) != -1) {
		switch (opt) {
		case 'k':
			io.kind = optarg;
			break;
		case 'm':
			io.map = optarg;
			break;
		case 'f':
			io.date_format = optarg;
			break;
		case 'n':
			io.dry_run = true;
			break;
		case 's':
			io.skip_bad = true;
			break;
		default:
			return cli_usage("import: unknown option");
		}
	}
	if (optind >= argc)
		return cli_usage("import: no FILE given");
	/* when an imported business review was logged: the as-of day */
	cs_format_day(cli->as_of, today);
	io.today = today;
	if (cs_import_check(&io, &cli->diag) || cli_create_db(cli, &db))
		return EXIT_FAIL;
	rc = cs_import_files(db, (const char *const *)argv + optind, argc - optind,
			     &io, NULL, &cli->diag);
	cs_db_close(db);
	return rc ? EXIT_FAIL : EXIT_OK;
}
