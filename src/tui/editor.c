/* editor.c — the user's editor for drafts. See editor.h. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <curses.h>

#include "editor.h"
#include "tui.h"

static const char *editor_command(void)
{
	const char *e = getenv("VISUAL");

	if (!e || !*e)
		e = getenv("EDITOR");
	return e && *e ? e : "vi";
}

/*
 * A private file for the text, named after hint so the CSM finds it again
 * ("casey-checkin-C00042.txt"); an earlier one of ours is replaced. Never
 * follows a link or opens a file someone else made. 0, or -1 (errno).
 */
static int write_private(const char *hint, const char *text, char *path, size_t size)
{
	const char *tmp = getenv("TMPDIR");
	size_t len = strlen(text);
	int fd;

	if (snprintf(path, size, "%s/casey-%s.txt", tmp && *tmp ? tmp : "/tmp", hint) >=
	    (int)size) {
		errno = ENAMETOOLONG;
		return -1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && !unlink(path))
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, text, len) != (ssize_t)len) {
		int e = errno;

		close(fd);
		unlink(path);
		errno = e;
		return -1;
	}
	return close(fd);
}

int tui_edit_text(struct tui *t, const char *hint, const char *text, char *path,
		  size_t size)
{
	const char *editor = editor_command();
	char cmd[512];
	pid_t pid;
	int status = 0;

	if (write_private(hint, text, path, size)) {
		tui_message(t, ROLE_ERROR, "cannot write the draft: %s", strerror(errno));
		return -1;
	}
	/* "$EDITOR" may carry options ("code -w"): the shell splits it; the file is $1. */
	if (snprintf(cmd, sizeof(cmd), "%s \"$1\"", editor) >= (int)sizeof(cmd)) {
		tui_message(t, ROLE_ERROR, "$EDITOR is too long");
		return -1;
	}
	def_prog_mode();
	endwin();
	pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	if (pid > 0)
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
	reset_prog_mode();
	refresh();
	if (pid < 0 || !WIFEXITED(status) || WEXITSTATUS(status)) {
		tui_message(t, ROLE_ERROR, "the editor (%s) failed; the draft is in %s",
			    editor, path);
		return -1;
	}
	return 0;
}
