import {
  DEFAULT_EVENT_WEIGHTS,
  INTERACTION_EVENT_TYPES,
  type InteractionEvent,
  isInteractionEventType,
} from './interaction-event';

/**
 * The interactions file format shared by the CLI, the API import and the simulator:
 *
 *   user_id,item_id,event,weight,timestamp
 *   u0001,5SuOikwiRyPMVoIQDJUgSV,play,1,1704067200000
 *
 * `timestamp` is written as epoch milliseconds (lossless, sorts as a number); the parser also accepts
 * ISO-8601 dates so hand-written or exported logs load too. An empty `weight` means the event's default
 * weight. Ids containing a comma or quote are double-quoted (RFC 4180); ids may not contain line breaks.
 */
export const INTERACTIONS_CSV_HEADER = 'user_id,item_id,event,weight,timestamp';

export class InteractionsCsvError extends Error {
  constructor(
    /** 1-based line of the input (the header is line 1). */
    readonly line: number,
    readonly reason: string,
  ) {
    super(`interactions CSV line ${line}: ${reason}`);
    this.name = 'InteractionsCsvError';
  }
}

export function formatInteractionsCsv(events: Iterable<InteractionEvent>): string {
  const lines = [INTERACTIONS_CSV_HEADER];
  for (const e of events) {
    lines.push(`${quoteField(e.userId)},${quoteField(e.itemId)},${e.event},${e.weight},${e.timestamp}`);
  }
  return lines.join('\n') + '\n';
}

/** Parses the format above; throws InteractionsCsvError naming the first bad line. */
export function parseInteractionsCsv(text: string): InteractionEvent[] {
  const lines = text.split('\n');
  const events: InteractionEvent[] = [];
  let sawHeader = false;
  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    let line = lines[n];
    if (line.endsWith('\r')) line = line.slice(0, -1);
    if (n === 0 && line.charCodeAt(0) === 0xfeff) line = line.slice(1);
    if (!sawHeader) {
      if (line.trim() !== INTERACTIONS_CSV_HEADER) {
        throw new InteractionsCsvError(lineNo, `expected header "${INTERACTIONS_CSV_HEADER}", got "${truncate(line)}"`);
      }
      sawHeader = true;
      continue;
    }
    if (line.trim() === '') continue;
    const fields = splitFields(line, lineNo);
    if (fields.length !== 5) throw new InteractionsCsvError(lineNo, `expected 5 fields, got ${fields.length}`);
    const [userId, itemId, event, weightText, timestampText] = fields;
    if (userId === '') throw new InteractionsCsvError(lineNo, 'user_id is empty');
    if (itemId === '') throw new InteractionsCsvError(lineNo, 'item_id is empty');
    if (!isInteractionEventType(event)) {
      throw new InteractionsCsvError(
        lineNo,
        `unknown event "${truncate(event)}" (expected ${INTERACTION_EVENT_TYPES.join(', ')})`,
      );
    }
    let weight = DEFAULT_EVENT_WEIGHTS[event];
    if (weightText !== '') {
      if (!DECIMAL.test(weightText))
        throw new InteractionsCsvError(lineNo, `weight "${truncate(weightText)}" is not a number`);
      weight = Number(weightText);
      if (!Number.isFinite(weight))
        throw new InteractionsCsvError(lineNo, `weight "${truncate(weightText)}" is out of range`);
    }
    events.push({ userId, itemId, event, weight, timestamp: parseTimestamp(timestampText, lineNo) });
  }
  if (!sawHeader) throw new InteractionsCsvError(1, `expected header "${INTERACTIONS_CSV_HEADER}", got an empty input`);
  return events;
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const EPOCH_MS = /^-?\d+$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

function parseTimestamp(text: string, lineNo: number): number {
  if (EPOCH_MS.test(text)) {
    const ms = Number(text);
    if (!Number.isSafeInteger(ms))
      throw new InteractionsCsvError(lineNo, `timestamp "${truncate(text)}" is out of range`);
    return ms;
  }
  if (ISO_DATE.test(text)) {
    const ms = Date.parse(text);
    if (Number.isFinite(ms)) return ms;
  }
  throw new InteractionsCsvError(
    lineNo,
    `timestamp "${truncate(text)}" is neither epoch milliseconds nor an ISO-8601 date`,
  );
}

function quoteField(value: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`id ${JSON.stringify(value)} contains a line break`);
  return /[",]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Splits one line into fields, honouring double-quoted fields with "" escapes. */
function splitFields(line: string, lineNo: number): string[] {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) throw new InteractionsCsvError(lineNo, 'unterminated quoted field');
        value += line.slice(i, q);
        if (line[q + 1] === '"') {
          value += '"';
          i = q + 2;
        } else {
          i = q + 1;
          break;
        }
      }
      fields.push(value);
      if (i === line.length) return fields;
      if (line[i] !== ',')
        throw new InteractionsCsvError(lineNo, `unexpected character after quoted field at column ${i + 1}`);
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0) {
        fields.push(line.slice(i));
        return fields;
      }
      fields.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
}
