/* SPDX-License-Identifier: Apache-2.0 */
/*
 * answer.c: a fake testee for fuzz_testee.c. It reads one request the way
 * a testee must (a 4-byte little-endian length, then that many bytes),
 * then writes the bytes of the file named on its command line to its
 * stdout, whatever they are, and exits. The fuzzer chooses the file, so
 * the conformance runner's reader sees an arbitrary answer from a testee
 * that behaved correctly up to that point. Exits 1 when the request or
 * the file cannot be read; it is not part of the project's tools.
 */
#include <stdint.h>
#include <stdio.h>

int main(int argc, char **argv)
{
	unsigned char hdr[4];
	uint32_t n;
	FILE *f;
	int c;

	if (argc != 2 || fread(hdr, 1, 4, stdin) != 4)
		return 1;
	n = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
	    (uint32_t)hdr[3] << 24;
	while (n-- > 0) {
		if (getchar() == EOF)
			return 1;
	}
	f = fopen(argv[1], "rb");
	if (f == NULL)
		return 1;
	while ((c = getc(f)) != EOF)
		putchar(c);
	fclose(f);
	return fflush(stdout) == 0 ? 0 : 1;
}
