#!/usr/bin/env python3
"""Extracts the embedded sample catalog (data/sample/catalog.csv) from the full Spotify 114K dataset.

Developer tool, not part of the product. Deterministic (no randomness): run it twice, get the same bytes.

Rule:
  * Genres are visited in file order. For each genre, enough new tracks are picked that the sample holds
    --rows-per-genre rows of that genre (rows brought in earlier as duplicates of tracks picked under other
    genres count), so all 114 genres are covered about equally. A track whose duplicate rows would push another
    genre past the target is passed over; without that rule the heavily overlapping genres (pop, dance, ...)
    overshoot and the file grows by a fifth for the same number of songs.
  * Picks are spread evenly over the genre's tracks ranked by popularity (descending, ties by track_id), so
    the sample keeps each genre's popularity distribution: hits, the middle and the long tail.
  * Only tracks whose every row has valid data are candidates: non-empty names/artists/album, duration > 0,
    tempo > 0, time_signature > 0.
  * Every row of a picked track_id is kept (other genres and exact repeats alike), so the catalog's merge
    logic meets real duplicates.
  * Rows are copied byte for byte from the source, in source order, under the same header line. The csv module
    only finds record boundaries and fields.

Usage (from the repo root):
  python3 tools/scripts/extract_sample.py [--source ../shared/data/spotify-tracks-114k/dataset.csv]
                                          [--out data/sample/catalog.csv] [--rows-per-genre 52]
"""
import argparse
import csv
import sys
from collections import defaultdict

TRACK_ID, ARTISTS, ALBUM, NAME, POPULARITY, DURATION = 0, 1, 2, 3, 4, 5
TEMPO, TIME_SIGNATURE, GENRE = 17, 18, 19


def read_records(path):
    """Yields (raw_text, fields) per CSV record; raw_text is the exact source bytes (decoded) incl. newline."""
    with open(path, newline='', encoding='utf-8') as f:
        pending = []

        def lines():
            for line in f:
                pending.append(line)
                yield line

        for fields in csv.reader(lines()):
            raw = ''.join(pending)
            pending.clear()
            yield raw, fields


def row_is_valid(fields):
    try:
        return (
            len(fields) == 20
            and all(fields[i].strip() for i in (TRACK_ID, ARTISTS, ALBUM, NAME, GENRE))
            and float(fields[DURATION]) > 0
            and float(fields[TEMPO]) > 0
            and int(fields[TIME_SIGNATURE]) > 0
            and 0 <= float(fields[POPULARITY]) <= 100
        )
    except ValueError:
        return False


def evenly_spaced(candidates, count):
    """`count` items at evenly spaced ranks (centre of each stratum) of an ordered list."""
    n = len(candidates)
    if count >= n:
        return list(candidates)
    return [candidates[int((k + 0.5) * n / count)] for k in range(count)]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--source', default='../shared/data/spotify-tracks-114k/dataset.csv')
    parser.add_argument('--out', default='data/sample/catalog.csv')
    parser.add_argument('--rows-per-genre', type=int, default=52)
    args = parser.parse_args()

    records = read_records(args.source)
    header_raw, header = next(records)
    rows = list(records)

    rows_of_track = defaultdict(list)  # track_id -> row indexes
    genre_order = []
    tracks_of_genre = defaultdict(list)  # genre -> track ids (unique, in source order)
    for i, (_, fields) in enumerate(rows):
        tid, genre = fields[TRACK_ID], fields[GENRE]
        rows_of_track[tid].append(i)
        if genre not in tracks_of_genre:
            genre_order.append(genre)
        if tid not in tracks_of_genre[genre]:
            tracks_of_genre[genre].append(tid)

    valid_track = {tid: all(row_is_valid(rows[i][1]) for i in idx) for tid, idx in rows_of_track.items()}
    # A track's popularity can differ between its duplicate rows; rank by the highest one.
    popularity = {tid: max(float(rows[i][1][POPULARITY]) for i in idx) for tid, idx in rows_of_track.items()}

    picked = set()
    rows_in_genre = defaultdict(int)

    def pick(tid):
        picked.add(tid)
        for i in rows_of_track[tid]:
            rows_in_genre[rows[i][1][GENRE]] += 1

    def overfills(tid, genre):
        """Would the track's rows in other genres push one of them past the target?"""
        extra = defaultdict(int)
        for i in rows_of_track[tid]:
            extra[rows[i][1][GENRE]] += 1
        return any(rows_in_genre[g] + k > args.rows_per_genre for g, k in extra.items() if g != genre)

    for genre in genre_order:
        # Each pick adds at least one row of this genre, so picking `need` tracks reaches the target.
        need = args.rows_per_genre - rows_in_genre[genre]
        if need <= 0:
            continue
        candidates = [t for t in tracks_of_genre[genre] if valid_track[t] and t not in picked and not overfills(t, genre)]
        candidates.sort(key=lambda t: (-popularity[t], t))
        for tid in evenly_spaced(candidates, need):
            pick(tid)

    kept = [raw for raw, fields in rows if fields[TRACK_ID] in picked]
    with open(args.out, 'w', newline='', encoding='utf-8') as out:
        out.write(header_raw)
        out.writelines(kept)

    genres = {fields[GENRE] for _, fields in rows if fields[TRACK_ID] in picked}
    duplicated = sum(1 for t in picked if len(rows_of_track[t]) > 1)
    size = len(header_raw.encode('utf-8')) + sum(len(r.encode('utf-8')) for r in kept)
    print(
        f'{args.out}: {len(kept)} rows, {len(picked)} unique track_id ({duplicated} with duplicate rows), '
        f'{len(genres)} genres, {size} bytes',
        file=sys.stderr,
    )


if __name__ == '__main__':
    main()
