/* SPDX-License-Identifier: Apache-2.0 */
/*
 * testee.c: runs the implementation under test as a child process and
 * exchanges length-prefixed messages with it (conformance/TESTEE.md). The
 * child is started once and reused; when it crashes, closes its output,
 * sends garbage or does not answer within the timeout, it is killed (its
 * whole process group) and reaped, and the next exchange starts a fresh
 * one. Writes and reads never block past the deadline: both pipes are
 * non-blocking and every wait goes through poll().
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

/* Responses larger than this are refused as garbage. */
#define HCP_RT_MAX_RESPONSE (64u * 1024u * 1024u)

void hcp_rt_testee_init(struct hcp_rt_testee *t, const char *cmd, int stderr_fd)
{
	memset(t, 0, sizeof(*t));
	t->cmd = cmd;
	t->stderr_fd = stderr_fd;
	t->pid = -1;
	t->to_fd = -1;
	t->from_fd = -1;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void describe_status(int status, char *why, size_t why_len)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) > 128)
		snprintf(why, why_len,
		         "testee exited with status %d (a "
		         "shell's report of signal %d, %s)",
		         WEXITSTATUS(status), WEXITSTATUS(status) - 128,
		         strsignal(WEXITSTATUS(status) - 128));
	else if (WIFEXITED(status))
		snprintf(why, why_len, "testee exited with status %d",
		         WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, why_len, "testee killed by signal %d (%s)",
		         WTERMSIG(status), strsignal(WTERMSIG(status)));
	else
		snprintf(why, why_len, "testee stopped (status 0x%x)", status);
}

static void close_fds(struct hcp_rt_testee *t)
{
	if (t->to_fd >= 0)
		close(t->to_fd);
	if (t->from_fd >= 0)
		close(t->from_fd);
	t->to_fd = -1;
	t->from_fd = -1;
}

/* Kills the testee's process group and reaps it; *status gets its wait
 * status when it had already exited by itself. */
static void kill_testee(struct hcp_rt_testee *t, int *status)
{
	int st = 0;

	if (t->pid < 0)
		return;
	close_fds(t);
	if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
		kill(-t->pid, SIGKILL);
	} else {
		kill(-t->pid, SIGKILL);
		kill(t->pid, SIGKILL);
		while (waitpid(t->pid, &st, 0) < 0 && errno == EINTR)
			;
	}
	if (status != NULL)
		*status = st;
	t->pid = -1;
}

static int start_testee(struct hcp_rt_testee *t, char *why, size_t why_len)
{
	int in[2], out[2];
	pid_t pid;

	if (pipe(in) != 0 || pipe(out) != 0) {
		snprintf(why, why_len, "pipe: %s", strerror(errno));
		return -1;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(why, why_len, "fork: %s", strerror(errno));
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		dup2(in[0], 0);
		dup2(out[1], 1);
		if (t->stderr_fd >= 0)
			dup2(t->stderr_fd, 2);
		close(in[0]);
		close(in[1]);
		close(out[0]);
		close(out[1]);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", t->cmd, (char *)NULL);
		_exit(127);
	}
	setpgid(pid, pid);
	close(in[0]);
	close(out[1]);
	t->pid = pid;
	t->to_fd = in[1];
	t->from_fd = out[0];
	fcntl(t->to_fd, F_SETFL, fcntl(t->to_fd, F_GETFL) | O_NONBLOCK);
	fcntl(t->from_fd, F_SETFL, fcntl(t->from_fd, F_GETFL) | O_NONBLOCK);
	fcntl(t->to_fd, F_SETFD, FD_CLOEXEC);
	fcntl(t->from_fd, F_SETFD, FD_CLOEXEC);
	t->starts++;
	return 0;
}

/* Waits until fd is ready for events or the deadline passes. Returns 1
 * ready, 0 timeout, -1 error or hang-up without data. */
static int wait_fd(int fd, short events, long long deadline)
{
	for (;;) {
		struct pollfd p = { .fd = fd, .events = events };
		long long left = deadline - now_ms();
		int n;

		if (left <= 0)
			return 0;
		n = poll(&p, 1, left > 60000 ? 60000 : (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			continue;
		if (p.revents & events)
			return 1;
		return -1;
	}
}

/* 1 done, 0 timeout, -1 the testee went away. */
static int write_all(int fd, const uint8_t *p, size_t n, long long deadline)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);

		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN)
			return -1;
		w = wait_fd(fd, POLLOUT, deadline);
		if (w <= 0)
			return (int)w;
	}
	return 1;
}

/* 1 done, 0 timeout, -1 end of file or error. */
static int read_all(int fd, uint8_t *p, size_t n, long long deadline)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r > 0) {
			p += r;
			n -= (size_t)r;
			continue;
		}
		if (r == 0)
			return -1;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -1;
		r = wait_fd(fd, POLLIN, deadline);
		if (r == 0)
			return 0;
		if (r < 0) {
			/* Hang-up: read what is left, then see EOF. */
			r = read(fd, p, n);
			if (r <= 0)
				return -1;
			p += r;
			n -= (size_t)r;
		}
	}
	return 1;
}

static enum hcp_rt_io fail_io(struct hcp_rt_testee *t, int rc, int timeout_ms,
                              char *why, size_t why_len)
{
	int st = 0;
	pid_t pid = t->pid;

	if (rc == 0) {
		kill_testee(t, NULL);
		snprintf(why, why_len,
		         "no answer within %d ms (testee %ld "
		         "killed)",
		         timeout_ms, (long)pid);
		return HCP_RT_IO_TIMEOUT;
	}
	/* Give an exiting testee a moment to finish dying, so that the
	 * report names its status rather than our kill. */
	for (int i = 0; i < 50; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid) {
			close_fds(t);
			t->pid = -1;
			kill(-pid, SIGKILL);
			describe_status(st, why, why_len);
			return HCP_RT_IO_EXITED;
		}
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 2000000 };
		nanosleep(&ts, NULL);
	}
	kill_testee(t, NULL);
	snprintf(why, why_len, "testee closed its output (killed)");
	return HCP_RT_IO_EXITED;
}

enum hcp_rt_io hcp_rt_exchange(struct hcp_rt_testee *t, const uint8_t *req,
                               size_t len, uint8_t **resp, size_t *resp_len,
                               int timeout_ms, char *why, size_t why_len)
{
	long long deadline = now_ms() + timeout_ms;
	uint8_t hdr[4];
	uint32_t n;
	uint8_t *buf;
	int rc;

	*resp = NULL;
	*resp_len = 0;
	why[0] = '\0';
	if (len > UINT32_MAX) {
		snprintf(why, why_len, "request too large");
		return HCP_RT_IO_BAD;
	}
	if (t->pid < 0 && start_testee(t, why, why_len) != 0)
		return HCP_RT_IO_EXITED;
	for (int i = 0; i < 4; i++)
		hdr[i] = (uint8_t)((uint32_t)len >> (8 * i));
	rc = write_all(t->to_fd, hdr, 4, deadline);
	if (rc == 1)
		rc = write_all(t->to_fd, req, len, deadline);
	if (rc == 1)
		rc = read_all(t->from_fd, hdr, 4, deadline);
	if (rc != 1)
		return fail_io(t, rc, timeout_ms, why, why_len);
	n = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	    (uint32_t)hdr[3] << 24;
	if (n > HCP_RT_MAX_RESPONSE) {
		kill_testee(t, NULL);
		snprintf(why, why_len,
		         "response length %lu is too large "
		         "(testee killed)",
		         (unsigned long)n);
		return HCP_RT_IO_BAD;
	}
	buf = malloc(n ? n : 1);
	if (buf == NULL) {
		snprintf(why, why_len, "out of memory");
		return HCP_RT_IO_BAD;
	}
	rc = read_all(t->from_fd, buf, n, deadline);
	if (rc != 1) {
		free(buf);
		return fail_io(t, rc, timeout_ms, why, why_len);
	}
	*resp = buf;
	*resp_len = n;
	return HCP_RT_IO_OK;
}

int hcp_rt_testee_stop(struct hcp_rt_testee *t, char *why, size_t why_len)
{
	int st = 0;

	why[0] = '\0';
	if (t->pid < 0)
		return 0;
	if (t->to_fd >= 0)
		close(t->to_fd);
	t->to_fd = -1;
	for (int i = 0; i < 400; i++) {
		if (waitpid(t->pid, &st, WNOHANG) == t->pid) {
			close_fds(t);
			kill(-t->pid, SIGKILL);
			t->pid = -1;
			if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
				return 0;
			describe_status(st, why, why_len);
			return -1;
		}
		struct timespec ts = { .tv_sec = 0, .tv_nsec = 5000000 };
		nanosleep(&ts, NULL);
	}
	kill_testee(t, NULL);
	snprintf(why, why_len,
	         "testee did not exit within 2 s of the end "
	         "of its input (killed)");
	return -1;
}

void hcp_rt_kill_for_resync(struct hcp_rt_testee *t)
{
	kill_testee(t, NULL);
}
