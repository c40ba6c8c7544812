// The load generator's process: autocannon, driven over IPC by bench/lib/load.ts. One process
// serves every load of a run, so a load costs its duration and not a Node start as well (seconds
// on a loaded machine); it still never shares an event loop with the benchmark or a server.
import autocannon from 'autocannon';

process.on('message', (msg) => {
  const { id, opts } = msg;
  autocannon({ ...opts, renderProgressBar: false, renderResultsTable: false, renderLatencyTable: false }, (err, result) => {
    if (err) process.send({ id, error: String(err && err.message ? err.message : err) });
    else process.send({ id, result });
  });
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
