// Set-up for a process that runs the sandbox alone (the `sandbox` command, a bench's sandbox child), made before its
// heap grows. Not for the TUI, which runs the sandbox in process: its own allocation rate wants V8's defaults.
import v8 from 'node:v8';

/**
 * Keeps V8's young generation at its starting size (1 MB semi-spaces) instead of letting it grow to 16 MB under
 * load. The sandbox's request handling makes short-lived objects at a steady rate and keeps little; with a grown
 * young generation, the `sandbox` command's peak RSS under kcat's 1M x 1 KB acks=all load was ~5 MB higher (heap
 * 17.5 MB against 11.5 MB), and the sandbox's CPU for that load was no lower (1.37-1.50 s with growth, 1.34-1.41 s
 * without). A runtime flag because the command cannot pass --max-semi-space-size to its own node (that one is read
 * only when the heap is set up); the growth factor is read each time V8 considers growing.
 */
export function keepYoungGenerationSmall(): void {
  v8.setFlagsFromString('--semi-space-growth-factor=1');
}
