import type { Catalog } from '@encore/catalog';
import type { Interaction } from '@encore/datasets';
import { DEFAULT_EVENT_WEIGHTS, DISLIKE_EVENT } from '@encore/features';
import { categoricalCell, csvField, floatField, idProblem } from './personalize-csv';
import { csvHeader, INTERACTIONS_SCHEMA, ITEMS_SCHEMA, USERS_SCHEMA } from './personalize-schemas';

/** Personalize's training minimums (service quotas): below them a solution version fails. */
export const MIN_INTERACTIONS = 1000;
export const MIN_USERS_WITH_TWO_INTERACTIONS = 25;
/** Share of all users that must have two or more interactions. */
export const MIN_SHARE_WITH_TWO_INTERACTIONS = 0.01;
/** Distinct event types plus optional interaction columns (EVENT_TYPE, EVENT_VALUE) may not exceed this. */
export const MAX_EVENT_TYPES_AND_COLUMNS = 10;

export interface PersonalizeExportOptions {
  /** Epoch milliseconds stamped on rows without a timestamp. Default: Date.now() when the export starts. */
  fallbackTimestamp?: number;
  /** Rows per yielded chunk (default 4096): few large writes instead of one per row. */
  rowsPerChunk?: number;
  /** How many genres TOP_GENRES lists per user (default 3). */
  topGenres?: number;
}

/** What an export wrote and what Personalize will think of it. */
export interface PersonalizeExportReport {
  interactions: {
    rows: number;
    users: number;
    items: number;
    /** Rows per EVENT_TYPE. */
    eventTypes: Record<string, number>;
    /** Epoch seconds of the oldest and newest row, or null without rows. */
    firstTimestamp: number | null;
    lastTimestamp: number | null;
    usersWithTwoOrMore: number;
    /** Rows whose item is not in the catalog: imported, but without item metadata. */
    itemsNotInCatalog: number;
    /** Rows that had no timestamp and got the export time. */
    timestampsFilled: number;
    /** Not exported: dislikes and rows with a weight ≤ 0 (Personalize treats every interaction as positive). */
    negativeSkipped: number;
    /** Not exported: ids Personalize would reject (see idProblem). */
    invalidIdSkipped: number;
  };
  items: { rows: number; withoutGenres: number; invalidIdSkipped: number; categoricalTruncated: number };
  users: { rows: number; withTopGenres: number };
  /** Problems Personalize will raise (training minimums, dropped rows): the export still succeeds. */
  warnings: string[];
}

/** CSV fields already formatted, by value: event types and weights repeat on every row. */
interface LineFields {
  events: Map<string, string>;
  weights: Map<number, string>;
}

interface UserStats {
  interactions: number;
  /** USER_ID as a CSV field. */
  field: string;
  /** Genre vocabulary index → summed EVENT_VALUE. */
  genres: Map<number, number>;
}

/**
 * Turns a catalog and interaction rows into the three CSV files of an Amazon Personalize dataset
 * group, as async iterables of text chunks the caller writes wherever it likes. Interactions
 * stream through (only per-user genre tallies are kept), so a million rows cost the size of the
 * user table, not of the rows.
 *
 * Order: {@link interactionsCsv} first — {@link usersCsv} is built from what it saw —
 * then the other two in any order, then {@link report}.
 */
export class PersonalizeExport {
  private readonly fallbackSeconds: number;
  private readonly rowsPerChunk: number;
  private readonly topGenres: number;
  private readonly users = new Map<string, UserStats>();
  /** Song id → catalog index (-1 when not in the catalog) and its CSV field. */
  private readonly items = new Map<string, { index: number; field: string }>();
  private interactionsDone = false;
  private readonly stats: PersonalizeExportReport = {
    interactions: {
      rows: 0,
      users: 0,
      items: 0,
      eventTypes: {},
      firstTimestamp: null,
      lastTimestamp: null,
      usersWithTwoOrMore: 0,
      itemsNotInCatalog: 0,
      timestampsFilled: 0,
      negativeSkipped: 0,
      invalidIdSkipped: 0,
    },
    items: { rows: 0, withoutGenres: 0, invalidIdSkipped: 0, categoricalTruncated: 0 },
    users: { rows: 0, withTopGenres: 0 },
    warnings: [],
  };

  constructor(
    private readonly catalog: Catalog,
    options: PersonalizeExportOptions = {},
  ) {
    this.fallbackSeconds = Math.floor((options.fallbackTimestamp ?? Date.now()) / 1000);
    this.rowsPerChunk = options.rowsPerChunk ?? 4096;
    this.topGenres = options.topGenres ?? 3;
  }

  /** USER_ID,ITEM_ID,TIMESTAMP,EVENT_TYPE,EVENT_VALUE — one row per positive interaction. */
  async *interactionsCsv(rows: Iterable<Interaction> | AsyncIterable<Interaction>): AsyncGenerator<string> {
    if (this.interactionsDone) throw new Error('interactionsCsv was already consumed for this export');
    const fields: LineFields = { events: new Map(), weights: new Map() };
    let chunk = csvHeader(INTERACTIONS_SCHEMA) + '\n';
    let pending = 0;
    /** Adds a row; returns a full chunk to yield, or null. */
    const add = (row: Interaction): string | null => {
      const line = this.interactionLine(row, fields);
      if (line === null) return null;
      chunk += line;
      if (++pending < this.rowsPerChunk) return null;
      const full = chunk;
      chunk = '';
      pending = 0;
      return full;
    };
    // `for await` over a plain array would cost a promise and a microtask per row.
    if (Symbol.asyncIterator in rows) {
      for await (const row of rows) {
        const full = add(row);
        if (full !== null) yield full;
      }
    } else {
      for (const row of rows) {
        const full = add(row);
        if (full !== null) yield full;
      }
    }
    const s = this.stats.interactions;
    this.interactionsDone = true;
    s.users = this.users.size;
    s.items = this.items.size;
    for (const u of this.users.values()) if (u.interactions >= 2) s.usersWithTwoOrMore++;
    if (chunk !== '') yield chunk;
  }

  /** One interaction's CSV line, or null when it is not exported (counted in the report). */
  private interactionLine(row: Interaction, fields: LineFields): string | null {
    const s = this.stats.interactions;
    const catalog = this.catalog;
    const weight = eventValue(row);
    if (weight === null) {
      s.negativeSkipped++;
      return null;
    }
    // Ids are checked and quoted once each: a million rows name a few thousand users and songs.
    let user = this.users.get(row.userId);
    let item = this.items.get(row.itemId);
    if (
      (user === undefined && idProblem(row.userId) !== null) ||
      (item === undefined && idProblem(row.itemId) !== null)
    ) {
      s.invalidIdSkipped++;
      return null;
    }
    if (item === undefined) {
      item = { index: catalog.indexOf(row.itemId), field: csvField(row.itemId) };
      this.items.set(row.itemId, item);
    }
    if (user === undefined) {
      user = { interactions: 0, genres: new Map(), field: csvField(row.userId) };
      this.users.set(row.userId, user);
    }
    let seconds: number;
    if (row.timestamp === undefined || !Number.isFinite(row.timestamp)) {
      seconds = this.fallbackSeconds;
      s.timestampsFilled++;
    } else seconds = Math.floor(row.timestamp / 1000);
    const eventType = row.event ?? 'interaction';
    let eventField = fields.events.get(eventType);
    if (eventField === undefined) {
      eventField = csvField(oneLine(eventType));
      fields.events.set(eventType, eventField);
    }
    s.eventTypes[eventType] = (s.eventTypes[eventType] ?? 0) + 1;
    if (s.firstTimestamp === null || seconds < s.firstTimestamp) s.firstTimestamp = seconds;
    if (s.lastTimestamp === null || seconds > s.lastTimestamp) s.lastTimestamp = seconds;
    s.rows++;

    user.interactions++;
    if (item.index < 0) s.itemsNotInCatalog++;
    else {
      for (let p = catalog.genreOffsets[item.index]; p < catalog.genreOffsets[item.index + 1]; p++) {
        const g = catalog.genreIds[p];
        user.genres.set(g, (user.genres.get(g) ?? 0) + weight);
      }
    }
    let weightField = fields.weights.get(weight);
    if (weightField === undefined) {
      weightField = floatField(weight);
      if (fields.weights.size < 1024) fields.weights.set(weight, weightField);
    }

    return `${user.field},${item.field},${seconds},${eventField},${weightField}\n`;
  }

  /** ITEM_ID,GENRES,ARTISTS,EXPLICIT,POPULARITY,… — every catalog song. */
  async *itemsCsv(): AsyncGenerator<string> {
    const s = this.stats.items;
    const c = this.catalog;
    const a = c.audio;
    let chunk = csvHeader(ITEMS_SCHEMA) + '\n';
    let pending = 0;
    for (let i = 0; i < c.size; i++) {
      const id = c.ids[i];
      if (idProblem(id) !== null) {
        s.invalidIdSkipped++;
        continue;
      }
      const genres = categoricalCell(c.genresOf(i));
      const artists = categoricalCell(c.artistsOf(i));
      if (genres.truncated || artists.truncated) s.categoricalTruncated++;
      if (genres.cell === '') s.withoutGenres++;
      const numbers = [
        integerField(c.popularity[i], id, 'POPULARITY'),
        integerField(c.durationMs[i], id, 'DURATION_MS'),
        finiteFloat(a.danceability[i], id, 'DANCEABILITY'),
        finiteFloat(a.energy[i], id, 'ENERGY'),
        integerField(a.key[i], id, 'KEY'),
        finiteFloat(a.loudness[i], id, 'LOUDNESS'),
        integerField(a.mode[i], id, 'MODE'),
        finiteFloat(a.speechiness[i], id, 'SPEECHINESS'),
        finiteFloat(a.acousticness[i], id, 'ACOUSTICNESS'),
        finiteFloat(a.instrumentalness[i], id, 'INSTRUMENTALNESS'),
        finiteFloat(a.liveness[i], id, 'LIVENESS'),
        finiteFloat(a.valence[i], id, 'VALENCE'),
        finiteFloat(a.tempo[i], id, 'TEMPO'),
        integerField(a.timeSignature[i], id, 'TIME_SIGNATURE'),
      ];
      chunk +=
        `${csvField(id)},${csvField(genres.cell)},${csvField(artists.cell)},${c.explicit[i] === 1 ? 'true' : 'false'},` +
        `${numbers.join(',')}\n`;
      s.rows++;
      if (++pending >= this.rowsPerChunk) {
        yield chunk;
        chunk = '';
        pending = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }

  /** USER_ID,TOP_GENRES — every user with an exported interaction. */
  async *usersCsv(): AsyncGenerator<string> {
    if (!this.interactionsDone) throw new Error('usersCsv needs interactionsCsv to be consumed first');
    const s = this.stats.users;
    const names = this.catalog.genreNames;
    let chunk = csvHeader(USERS_SCHEMA) + '\n';
    let pending = 0;
    for (const [userId, user] of this.users) {
      const top = [...user.genres]
        .filter(([, score]) => score > 0)
        // Ties go to the vocabulary order so the same input always gives the same file.
        .sort((x, y) => y[1] - x[1] || x[0] - y[0])
        .slice(0, this.topGenres)
        .map(([g]) => names[g]);
      const { cell } = categoricalCell(top);
      if (cell !== '') s.withTopGenres++;
      chunk += `${csvField(userId)},${csvField(cell)}\n`;
      s.rows++;
      if (++pending >= this.rowsPerChunk) {
        yield chunk;
        chunk = '';
        pending = 0;
      }
    }
    if (chunk !== '') yield chunk;
  }

  /** Counts and warnings; complete once all three CSVs have been consumed. */
  report(): PersonalizeExportReport {
    const r: PersonalizeExportReport = structuredClone(this.stats);
    r.warnings = exportWarnings(r);
    return r;
  }
}

/** Personalize's rules an export breaks, worded for the person running it. */
export function exportWarnings(r: PersonalizeExportReport): string[] {
  const out: string[] = [];
  const i = r.interactions;
  const n = (x: number) => x.toLocaleString('en-US');
  if (i.rows < MIN_INTERACTIONS) {
    out.push(
      `only ${n(i.rows)} interactions: Personalize needs at least ${n(MIN_INTERACTIONS)} to train a solution version`,
    );
  }
  if (i.usersWithTwoOrMore < MIN_USERS_WITH_TWO_INTERACTIONS) {
    out.push(
      `only ${n(i.usersWithTwoOrMore)} users with 2 or more interactions: Personalize needs at least ${MIN_USERS_WITH_TWO_INTERACTIONS}`,
    );
  }
  if (i.users > 0 && i.usersWithTwoOrMore / i.users < MIN_SHARE_WITH_TWO_INTERACTIONS) {
    out.push(
      `only ${n(i.usersWithTwoOrMore)} of ${n(i.users)} users have 2 or more interactions: Personalize needs at least ${MIN_SHARE_WITH_TWO_INTERACTIONS * 100}%`,
    );
  }
  const eventTypes = Object.keys(i.eventTypes).length;
  if (eventTypes + 2 > MAX_EVENT_TYPES_AND_COLUMNS) {
    out.push(
      `${eventTypes} event types plus EVENT_TYPE and EVENT_VALUE exceed Personalize's limit of ${MAX_EVENT_TYPES_AND_COLUMNS}; the import will fail`,
    );
  }
  if (i.invalidIdSkipped > 0) {
    out.push(`${n(i.invalidIdSkipped)} interactions left out: empty ids, ids over 256 characters or with line breaks`);
  }
  if (r.items.invalidIdSkipped > 0) {
    out.push(`${n(r.items.invalidIdSkipped)} songs left out: ids over 256 characters or with line breaks`);
  }
  if (r.items.categoricalTruncated > 0) {
    out.push(
      `${n(r.items.categoricalTruncated)} songs had genres or artists cut to Personalize's 1000-character limit`,
    );
  }
  if (i.timestampsFilled > 0) {
    out.push(`${n(i.timestampsFilled)} interactions had no timestamp and were stamped with the export time`);
  }
  if (i.itemsNotInCatalog > 0) {
    out.push(`${n(i.itemsNotInCatalog)} interactions name songs missing from the catalog: imported without metadata`);
  }
  return out;
}

/**
 * EVENT_VALUE of a row, or null for negative feedback. Personalize reads every interaction as
 * interest, so a skip (weight -1) or a dislike exported as-is would teach it the opposite.
 */
function eventValue(row: Interaction): number | null {
  if (row.event === DISLIKE_EVENT) return null;
  const weight = row.weight ?? (row.event !== undefined ? DEFAULT_EVENT_WEIGHTS[row.event] : undefined) ?? 1;
  return Number.isFinite(weight) && weight > 0 ? weight : null;
}

function oneLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

function finiteFloat(value: number, id: string, field: string): string {
  if (!Number.isFinite(value)) throw new Error(`song ${id}: ${field} is ${value}, not a number Personalize accepts`);
  return floatField(value);
}

function integerField(value: number, id: string, field: string): string {
  if (!Number.isFinite(value)) throw new Error(`song ${id}: ${field} is ${value}, not a number Personalize accepts`);
  return String(Math.round(value));
}
