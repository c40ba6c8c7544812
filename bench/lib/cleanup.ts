/**
 * Everything a run starts (servers, temporary databases and directories) registers how to undo
 * itself here, so an error, a failed budget or Ctrl-C never leaves a stray server or database.
 */

type Undo = () => Promise<void> | void;

const undos: { label: string; undo: Undo }[] = [];

/** Registers an undo; returns a function that runs it now (once) and forgets it. */
export function onCleanup(label: string, undo: Undo): () => Promise<void> {
  const entry = { label, undo };
  undos.push(entry);
  return async () => {
    const i = undos.indexOf(entry);
    if (i < 0) return;
    undos.splice(i, 1);
    await entry.undo();
  };
}

/** Runs every pending undo, newest first; reports failures but carries on. */
export async function runCleanups(): Promise<void> {
  while (undos.length) {
    const { label, undo } = undos.pop()!;
    try {
      await undo();
    } catch (err) {
      process.stderr.write(`bench: cleanup of ${label} failed: ${(err as Error).message}\n`);
    }
  }
}

let installed = false;

/** On Ctrl-C or SIGTERM: undo everything, then exit. */
export function installSignalCleanup(): void {
  if (installed) return;
  installed = true;
  const handler = (signal: NodeJS.Signals) => {
    process.stderr.write(`\nbench: ${signal}, stopping servers and dropping temporary databases…\n`);
    void runCleanups().finally(() => process.exit(130));
  };
  process.once('SIGINT', handler);
  process.once('SIGTERM', handler);
}
