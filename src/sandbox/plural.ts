// "1 partition", "2 partitions", "1,500 records" in the built-in cluster's events and control answers. Its own copy:
// the sandbox imports only itself and wire/. The thousands separators are put in by hand: toLocaleString loads ICU's
// locale data, ~6 MB more resident for the `sandbox` command from the first event it prints.
const grouped = (n: number): string => (Number.isInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n));

export const plural = (n: number, word: string, many = `${word}s`): string => `${grouped(n)} ${n === 1 ? word : many}`;
