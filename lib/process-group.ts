/**
 * Stopping a command together with everything it started. The command must have been spawned
 * with `detached: true`, which makes it the leader of a process group of its own: a signal to
 * the group reaches the shells, interpreters and grandchildren that a signal to the command
 * alone would leave running.
 */
import type { ChildProcess } from "child_process";

export function signalProcessGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
