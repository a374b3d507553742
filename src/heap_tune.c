/* Allocator settings for one short run of the CLI.
 *
 * An audit of a thousand packages allocates and frees a few megabytes
 * many times over (each package's record, compiled ranges, findings).
 * With glibc's defaults, blocks over 128 KiB are mmap'ed and unmapped
 * again, the heap is trimmed whenever 128 KiB are free at its top, and
 * every new 4 KiB page costs a page fault: about 1,500 faults, a fifth
 * of the run's time. A run that ends in a second does better to keep
 * what it freed, grow the heap in one step, and ask for huge pages on
 * it (one fault per 2 MiB where the kernel's transparent huge pages
 * allow it: "always" or "madvise"). A long-running process (the proxy)
 * keeps the defaults. */
#define _DEFAULT_SOURCE
#include "cli.h"

#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#if defined(__GLIBC__)
#include <malloc.h>
#include <sys/mman.h>
#endif

#define HEAP_STEP ((size_t)16 << 20)
#define HUGE_PAGE ((uintptr_t)2 << 20)

void cli_heap_tune(void)
{
#if defined(__GLIBC__)
	void *first;

	mallopt(M_MMAP_THRESHOLD, 64 << 20);
	mallopt(M_TRIM_THRESHOLD, 256 << 20);
	mallopt(M_TOP_PAD, (int)HEAP_STEP);
#if defined(MADV_HUGEPAGE)
	/* An allocation larger than what the heap has free grows it by
	 * itself plus HEAP_STEP; mark the aligned part of the heap from
	 * there on (advice only: an error or a kernel without THP changes
	 * nothing). Freed, the block stays in the heap for later use. */
	first = malloc((size_t)1 << 20);
	if (first) {
		uintptr_t lo = ((uintptr_t)first + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
		uintptr_t hi = (uintptr_t)sbrk(0) & ~(HUGE_PAGE - 1);

		if (hi > lo)
			madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
		free(first);
	}
#else
	(void)first;
#endif
#endif
}
