/* batch_spawn.c: see batch_spawn.h. Why each step: setsid puts the job out
 * of the web server's process group, so a graceful restart or process
 * recycling (signals to the group) cannot end it; the double fork leaves it
 * to init, so mod_fcgid never sees a busy or unreaped child; closing the
 * inherited stdout/stderr pipes and the FastCGI sockets lets the web server
 * end a CGI response and never hands the child a request. The inherited
 * MariaDB socket is only closed as a descriptor (close() takes no part in
 * the parent's session); mysql_close would send COM_QUIT on the parent's. */
#include "first.h"
#include "batch_spawn.h"
#include "arena.h"
#include "batch_job.h"
#include "db.h"
#include "log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

/* Every descriptor from 3 on is closed (the FastCGI connection, the
 * MariaDB socket, log pipes a module left open). */
static void close_inherited(void)
{
	DIR *d = opendir("/proc/self/fd");
	if (d) {
		int self = dirfd(d);
		int fds[1024];
		size_t n = 0;
		struct dirent *e;
		while ((e = readdir(d)) != NULL && n < ARRAY_LEN(fds)) {
			int fd = atoi(e->d_name);
			if (fd >= 3 && fd != self)
				fds[n++] = fd;
		}
		closedir(d);
		for (size_t i = 0; i < n; i++)
			close(fds[i]);
		if (n < ARRAY_LEN(fds))
			return;
	}
	long max = sysconf(_SC_OPEN_MAX);
	if (max < 0 || max > 65536)
		max = 65536;
	for (int fd = 3; fd < (int)max; fd++)
		close(fd);
}

static void detach_stdio(void)
{
	int null = open("/dev/null", O_RDWR);
	if (null < 0)
		return;
	dup2(null, 0);
	dup2(null, 1);
	/* A log file stays the job's log; a pipe or socket (Apache's mod_cgi
	 * reads the script's stderr to its end) does not. */
	struct stat st;
	if (fstat(2, &st) != 0 || !S_ISREG(st.st_mode))
		dup2(null, 2);
	if (null > 2)
		close(null);
}

static void run_detached(const struct config *cfg, long long job, unsigned long long token,
			 const struct batch_doc *doc)
{
	detach_stdio();
	close_inherited();
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	struct db *db = db_new(cfg);
	struct arena *a = arena_new();
	int rc = db ? batch_job_run_leased(cfg, db, a, job, token, doc) : -1;
	/* No cleanup of anything inherited: _exit skips atexit handlers and
	 * stdio buffers that belong to the parent's response. */
	_exit(rc == 0 ? 0 : 1);
}

void batch_spawn_job(const struct config *cfg, long long job, unsigned long long token,
		     const struct batch_doc *doc)
{
	pid_t pid = fork();
	if (pid < 0) {
		log_msg(NULL, "batch job %lld: fork failed (errno %d); apictl batch-worker will run it",
			job, errno);
		return;
	}
	if (pid == 0) {
		setsid();
		pid_t g = fork();
		if (g == 0)
			run_detached(cfg, job, token, doc);
		_exit(g < 0 ? 1 : 0);
	}
	int status;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
}

/* The job the request in hand accepted. */
static struct {
	long long job;
	unsigned long long token;
	const struct batch_doc *doc;
} deferred;

void batch_spawn_defer(void *ctx, long long job, unsigned long long token,
		       const struct batch_doc *doc)
{
	(void)ctx;
	deferred.job = job;
	deferred.token = token;
	deferred.doc = doc;
}

void batch_spawn_pending(const struct config *cfg)
{
	if (!deferred.job)
		return;
	batch_spawn_job(cfg, deferred.job, deferred.token, deferred.doc);
	deferred.job = 0;
	deferred.doc = NULL;
}
