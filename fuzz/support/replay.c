/* SPDX-License-Identifier: Apache-2.0 */
/*
 * replay.c: a main() that runs a harness's LLVMFuzzerTestOneInput once on
 * each file named on the command line, or on each file of each folder
 * named, without libFuzzer. It lets gcc (or any compiler) replay the
 * committed regression inputs and the seeds where clang is absent. Each
 * input is passed in a heap block of exactly its size, as libFuzzer does,
 * so that AddressSanitizer reports a read past its end. A failed property
 * aborts, as under libFuzzer; otherwise it prints how many inputs ran and
 * exits 0. Exits 2 when a file cannot be read.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz.h"

static int run_file(const char *path, unsigned long *count)
{
	FILE *f = fopen(path, "rb");
	uint8_t *data = NULL;
	size_t len = 0;
	size_t cap = 0;
	int c;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	while ((c = fgetc(f)) != EOF) {
		if (len == cap) {
			uint8_t *p;

			cap = cap ? 2 * cap : 4096;
			p = realloc(data, cap);
			if (p == NULL) {
				free(data);
				fclose(f);
				fputs("replay: out of memory\n", stderr);
				return -1;
			}
			data = p;
		}
		data[len++] = (uint8_t)c;
	}
	fclose(f);
	{
		/* An exact-size copy, as libFuzzer passes its inputs. */
		uint8_t *exact = hcp_fuzz_dup(data, len);

		free(data);
		fprintf(stderr, "replay: %s\n", path);
		LLVMFuzzerTestOneInput(exact, len);
		free(exact);
	}
	(*count)++;
	return 0;
}

static int run_path(const char *path, unsigned long *count)
{
	struct stat st;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (stat(path, &st) != 0) {
		perror(path);
		return -1;
	}
	if (!S_ISDIR(st.st_mode))
		return run_file(path, count);
	d = opendir(path);
	if (d == NULL) {
		perror(path);
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		char sub[4096];

		if (e->d_name[0] == '.')
			continue;
		if ((size_t)snprintf(sub, sizeof(sub), "%s/%s", path,
		                     e->d_name) >= sizeof(sub)) {
			rc = -1;
			continue;
		}
		if (stat(sub, &st) == 0 && S_ISREG(st.st_mode) &&
		    run_file(sub, count) != 0)
			rc = -1;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	unsigned long count = 0;
	int rc = 0;
	int i;

	for (i = 1; i < argc; i++) {
		if (run_path(argv[i], &count) != 0)
			rc = 2;
	}
	printf("replay: %lu inputs run\n", count);
	return rc;
}
