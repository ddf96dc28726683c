// "1 partition", "2 partitions" in the built-in cluster's events and control answers. Its own copy: the sandbox
// imports only itself and wire/.
export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
