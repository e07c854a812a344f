/*
 * csv_fields.h - private helpers of the grid CSV importers: splitting a line
 * into fields (with their 1-based columns), reading numbers and timestamps.
 */
#ifndef DCSIM_GRID_CSV_FIELDS_H
#define DCSIM_GRID_CSV_FIELDS_H

#include <stdbool.h>
#include <stdint.h>

enum { CSV_MAX_FIELDS = 32 };

typedef struct csv_row {
    int n;
    char *field[CSV_MAX_FIELDS];   /* point into the split line, NUL-ended */
    int col[CSV_MAX_FIELDS];       /* 1-based byte column of each field */
} csv_row;

/* Split line in place at commas (double-quoted fields may hold commas);
 * strips a trailing CR/LF.  Fields beyond CSV_MAX_FIELDS are dropped. */
void csv_split(char *line, csv_row *row);

/* Parse a whole field as a finite double; false if empty or malformed. */
bool csv_number(const char *s, double *out);

/* A parsed timestamp: civil seconds as if UTC, and an explicit offset if
 * the text carried one ("Z", "+HH:MM", "-HH:MM", "+HH"). */
typedef struct csv_stamp {
    int64_t civil_s;
    bool has_offset;
    int offset_min;
    int min, sec;
} csv_stamp;

/* Parse "YYYY-MM-DD[ T]HH:MM[:SS][offset]"; false (with *why set to a short
 * reason) if malformed or out of range. */
bool csv_timestamp(const char *s, csv_stamp *out, const char **why);

/* "YYYY-MM-DD HH:MM" of UTC epoch seconds, for messages. */
void csv_format_utc(int64_t utc_s, char *buf, int size);

#endif
