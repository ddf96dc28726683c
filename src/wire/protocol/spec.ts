// The shape of the generated message tables (messages.generated.ts) and the version-range parsing they need.

/**
 * [name, type, versions, nullableVersions?, taggedVersions?, tag?, fields?, default?] as written by the generator;
 * a default is there only when the definition gives one (null included), and fields is null when there are none.
 */
export type FieldSpec = [
  name: string,
  type: string,
  versions: string,
  nullableVersions?: string,
  taggedVersions?: string,
  tag?: number,
  fields?: FieldSpec[] | null,
  defaultValue?: unknown,
];

/** [apiKey, name, validVersions, flexibleVersions, requestFields, responseFields]. */
export type MessageSpec = [apiKey: number, name: string, validVersions: string, flexibleVersions: string, request: FieldSpec[], response: FieldSpec[]];

/** A version range as Kafka's definitions write it: "none", "3", "0-7" or "9+". */
export interface VersionRange {
  min: number;
  max: number;
}

const NONE: VersionRange = { min: 1, max: 0 };

export function parseRange(text: string | undefined): VersionRange {
  if (!text || text === 'none') return NONE;
  if (text.endsWith('+')) return { min: Number(text.slice(0, -1)), max: 0x7fff };
  const dash = text.indexOf('-');
  if (dash < 0) return { min: Number(text), max: Number(text) };
  return { min: Number(text.slice(0, dash)), max: Number(text.slice(dash + 1)) };
}

export function inRange(r: VersionRange, version: number): boolean {
  return version >= r.min && version <= r.max;
}
