#ifndef WAYMARK_CLIBCSV_SHIM_H
#define WAYMARK_CLIBCSV_SHIM_H
#include <csv.h>

/* libcsv's parser states (csv.c keeps them private). */
#define WAYMARK_CSV_ROW_NOT_BEGUN 0
#define WAYMARK_CSV_FIELD_NOT_BEGUN 1
#define WAYMARK_CSV_FIELD_BEGUN 2
#define WAYMARK_CSV_FIELD_MIGHT_HAVE_ENDED 3

/* Never treat any byte as trimmable white space: identifiers are compared untrimmed. */
static inline int waymark_csv_no_space(unsigned char c) { (void)c; return 0; }
#endif
