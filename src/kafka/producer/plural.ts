// "1 record", "2 records": counts in the client side's messages (producer, cluster control, labs, state), so none
// reads "record(s)". Hand-written: two lines, and the words are English only.
export const plural = (n: number, word: string, many = `${word}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
