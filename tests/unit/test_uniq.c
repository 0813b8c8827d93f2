/* uniq: no value repeats within a process, nor between a process and a
 * child it forks after using it: both go on after the fork (without a new
 * seed the child would repeat the parent's next values). */
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

#define UNIQ_N 200000

static void test_uniq(void)
{
	static uint64_t v[3 * UNIQ_N];
	for (size_t i = 0; i < UNIQ_N; i++)
		uniq_next((unsigned char *)&v[i]);
	/* The child's first values, through a pipe, next to the parent's. */
	int fd[2];
	CHECK(pipe(fd) == 0);
	pid_t pid = fork();
	if (pid == 0) {
		for (size_t i = 0; i < UNIQ_N; i++) {
			unsigned char b[UNIQ_LEN];
			uniq_next(b);
			if (write(fd[1], b, sizeof(b)) != (ssize_t)sizeof(b))
				_exit(1);
		}
		_exit(0);
	}
	CHECK(pid > 0);
	close(fd[1]);
	size_t got = 0;
	ssize_t n;
	while (got < UNIQ_N * sizeof(uint64_t) &&
	       (n = read(fd[0], (char *)&v[UNIQ_N] + got, UNIQ_N * sizeof(uint64_t) - got)) > 0)
		got += (size_t)n;
	close(fd[0]);
	for (size_t i = 2 * UNIQ_N; i < 3 * UNIQ_N; i++)
		uniq_next((unsigned char *)&v[i]);
	int st = -1;
	CHECK(waitpid(pid, &st, 0) == pid && WIFEXITED(st) && WEXITSTATUS(st) == 0);
	CHECK(got == UNIQ_N * sizeof(uint64_t));
	qsort(v, 3 * UNIQ_N, sizeof(v[0]), cmp_u64);
	size_t repeats = 0;
	for (size_t i = 1; i < 3 * UNIQ_N; i++)
		repeats += v[i] == v[i - 1];
	CHECK(repeats == 0);
}
