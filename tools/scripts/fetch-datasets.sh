#!/usr/bin/env bash
# Fetches the public datasets the tests and benchmarks read into DIR (default ../shared/data),
# for machines that don't have the team's shared folder (e.g. GitHub runners).
set -euo pipefail
dir=${1:-../shared/data}
mkdir -p "$dir/spotify-tracks-114k" "$dir/ml-100k" "$dir/hetrec2011-lastfm-2k"
tmp=$(mktemp -d)
if [ ! -f "$dir/spotify-tracks-114k/dataset.csv" ]; then
  # The Hugging Face copy carries a leading pandas index column; drop it to match the Kaggle header.
  curl -fsSL -o "$tmp/spotify.csv" https://huggingface.co/datasets/maharshipandya/spotify-tracks-dataset/resolve/main/dataset.csv
  python3 - "$tmp/spotify.csv" "$dir/spotify-tracks-114k/dataset.csv" <<'PY'
import csv, sys
with open(sys.argv[1], newline='', encoding='utf-8') as src, open(sys.argv[2], 'w', newline='', encoding='utf-8') as dst:
    r = csv.reader(src); w = csv.writer(dst, lineterminator='\n')
    for row in r:
        w.writerow(row[1:] if row and row[0] in ('', 'Unnamed: 0') or (row and row[0].isdigit()) else row)
PY
fi
if [ ! -f "$dir/ml-100k/u.data" ]; then
  curl -fsSL -o "$tmp/ml.zip" https://files.grouplens.org/datasets/movielens/ml-100k.zip
  unzip -q -o "$tmp/ml.zip" -d "$tmp" && cp "$tmp"/ml-100k/u.* "$tmp/ml-100k/README" "$dir/ml-100k/"
fi
if [ ! -f "$dir/hetrec2011-lastfm-2k/user_artists.dat" ]; then
  curl -fsSL -o "$tmp/lastfm.zip" https://files.grouplens.org/datasets/hetrec2011/hetrec2011-lastfm-2k.zip
  unzip -q -o "$tmp/lastfm.zip" -d "$dir/hetrec2011-lastfm-2k"
fi
rm -rf "$tmp"
ls -la "$dir"/*
