/**
 * Child process of bench/fanout.ts: CLIENTS websocket clients on URL's /board namespace.
 * When the parent arms a round with a marker, each client notes Date.now() at the first
 * snapshot that shows an entry with that display name, and the process reports all the times
 * once every client has it. Same machine, so Date.now() is a clock shared with the parent.
 */
import { io, type Socket } from 'socket.io-client';

interface Entry {
  displayName: string;
}
interface Snapshot {
  version: number;
  games: Array<{ waiting: Entry[]; calling: Entry[] }>;
}
type Command = { type: 'arm'; round: number; marker: string } | { type: 'close' };

const url = process.env.FANOUT_URL!;
const count = Number(process.env.FANOUT_CLIENTS);
const send = (message: unknown) => process.send!(message);

const shows = (snapshot: Snapshot, marker: string) => snapshot.games.some((g) => g.waiting.some((e) => e.displayName === marker));

let armed: { round: number; marker: string; times: number[]; left: number } | undefined;
let initial = 0;
const sockets: Socket[] = [];

for (let i = 0; i < count; i += 1) {
  const socket = io(`${url}/board`, { path: '/socket.io', transports: ['websocket'], forceNew: true, reconnection: false });
  let gotFirst = false;
  socket.on('snapshot', (snapshot: Snapshot) => {
    const at = Date.now();
    if (!gotFirst) {
      gotFirst = true;
      initial += 1;
      if (initial === count) send({ type: 'ready' });
    }
    if (armed && armed.times[i] === 0 && shows(snapshot, armed.marker)) {
      armed.times[i] = at;
      armed.left -= 1;
      if (armed.left === 0) send({ type: 'times', round: armed.round, times: armed.times });
    }
  });
  socket.on('connect_error', (err) => send({ type: 'error', message: err.message }));
  sockets.push(socket);
}

process.on('message', (command: Command) => {
  if (command.type === 'arm') {
    armed = { round: command.round, marker: command.marker, times: new Array<number>(count).fill(0), left: count };
    send({ type: 'armed', round: command.round });
  } else {
    for (const socket of sockets) socket.disconnect();
    process.exit(0);
  }
});
