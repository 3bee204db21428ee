/**
 * The few Java `toString()` formats zkCli's output is made of, so the shell prints
 * byte-for-byte what `zkCli.sh` prints: `java.util.Date#toString`, `Long.toHexString`
 * and `AbstractCollection#toString`.
 */

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * Locales whose short zone names cover the zones people run on (Java prints `CEST`,
 * `IST`, `AEST` where en-US ICU data would say `GMT+2`): the first locale giving an
 * alphabetic abbreviation wins.
 */
const ZONE_NAME_LOCALES = ['en-US', 'en-GB', 'en-IN', 'en-AU'];

interface ZoneFormatters {
  fields: Intl.DateTimeFormat;
  names: Intl.DateTimeFormat[];
}

const formatterCache = new Map<string, ZoneFormatters>();

function formattersFor(timeZone: string | undefined): ZoneFormatters {
  const key = timeZone ?? '';
  let f = formatterCache.get(key);
  if (!f) {
    f = {
      fields: new Intl.DateTimeFormat('en-US', {
        timeZone,
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
        weekday: 'short',
        hourCycle: 'h23',
      }),
      names: ZONE_NAME_LOCALES.map((locale) => new Intl.DateTimeFormat(locale, { timeZone, timeZoneName: 'short' })),
    };
    formatterCache.set(key, f);
  }
  return f;
}

/** Java spells an unnamed offset `GMT+05:30`; ICU spells it `GMT+5:30`. */
function javaOffsetName(icuName: string): string {
  const m = /^GMT([+-])(\d{1,2})(?::(\d{2}))?$/.exec(icuName);
  if (!m) return icuName;
  return `GMT${m[1]}${m[2].padStart(2, '0')}:${m[3] ?? '00'}`;
}

function zoneName(date: Date, f: ZoneFormatters, timeZone: string | undefined): string {
  // Java keeps the literal name of the GMT zone; ICU calls it UTC.
  if (timeZone === 'GMT' || timeZone === 'Etc/GMT') return 'GMT';
  let fallback = 'GMT';
  for (const fmt of f.names) {
    const name = fmt.formatToParts(date).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
    if (/^[A-Z]{2,5}$/.test(name) && name !== 'GMT') return name;
    if (fmt === f.names[0]) fallback = name;
  }
  return javaOffsetName(fallback);
}

const two = (n: number): string => String(n).padStart(2, '0');

/**
 * `new java.util.Date(ms).toString()`: `EEE MMM dd HH:mm:ss zzz yyyy`, e.g.
 * `Thu Jan 01 00:00:00 UTC 1970`, in `timeZone` (default: this process's zone, like the JVM).
 */
export function javaDateString(epochMs: number | bigint, timeZone?: string): string {
  const date = new Date(Number(epochMs));
  if (Number.isNaN(date.getTime())) return 'Invalid Date';
  const f = formattersFor(timeZone);
  const parts: Record<string, string> = {};
  for (const p of f.fields.formatToParts(date)) parts[p.type] = p.value;
  const month = MONTHS[Number(parts.month) - 1];
  const weekday = WEEKDAYS.includes(parts.weekday) ? parts.weekday : '???';
  const time = `${two(Number(parts.hour))}:${two(Number(parts.minute))}:${two(Number(parts.second))}`;
  return `${weekday} ${month} ${two(Number(parts.day))} ${time} ${zoneName(date, f, timeZone)} ${parts.year}`;
}

/** `Long.toHexString(v)`: lowercase, no padding, negative values as 64-bit two's complement. */
export function javaLongHex(v: bigint | number): string {
  return BigInt.asUintN(64, BigInt(v)).toString(16);
}

/** `List#toString()`: `[a, b, c]`. */
export function javaListString(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}
